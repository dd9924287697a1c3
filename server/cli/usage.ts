import { deviceFormats } from '../domain/device-formats.ts'
import { sectors } from '../domain/sectors.ts'

// `tsudoi --help`: every command with its flags, and the values the enumerated flags take.
export const USAGE = `Usage: tsudoi <command> [flags]

Members and devices
  member add --name NAME --sector SECTOR [--id ID] [--floor-area M2] [--seats N] [--rooms N] [--no-sharing]
  member list
  member rm ID [--purge]            (--purge also deletes its readings)
  member rotate-key ID
  device add --member ID --name NAME [--format FORMAT] [--topic T] [--id ID]
  device list [--member ID]
  device rm ID
  device rotate-token ID

Workshops (a join code and QR for a room of attendees)
  workshop add --name NAME --expires DURATION|ISO-DATE [--sector SECTOR] [--max-joins N] [--keep-members] [--no-keep-data]
  workshop list
  workshop end ID                   (expires it now: its members' credentials stop working)

  SECTOR  ${sectors.join(', ')}
  FORMAT  ${deviceFormats.join(', ')} (default json)
  DURATION  e.g. 90m, 3h, 2d

Global flags
  --url URL      hub HTTP address (default http://localhost:$TSUDOI_HTTP_PORT or :8080)
  --token TOKEN  admin token (default $TSUDOI_ADMIN_TOKEN, else $TSUDOI_DATA_DIR/admin-token)
  --json         print the raw JSON response
  -h, --help     this text`
