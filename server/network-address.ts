import { networkInterfaces } from 'node:os'

/** The address devices should be told to connect to when the hub binds every interface. */
export function reachableHost (bindHost: string, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return new URL(publicUrl).hostname
  if (bindHost !== '0.0.0.0' && bindHost !== '::') return bindHost
  for (const addresses of Object.values(networkInterfaces())) {
    const lan = addresses?.find((a) => a.family === 'IPv4' && !a.internal)
    if (lan !== undefined) return lan.address
  }
  return 'localhost'
}
