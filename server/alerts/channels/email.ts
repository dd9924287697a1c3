import nodemailer, { type Transporter } from 'nodemailer'
import type { DueDelivery } from '../outbox.ts'
import { bodyText, subject } from './message-text.ts'
import { type Sender, SendError } from './sender.ts'

/**
 * E-mail over SMTP (TSUDOI_SMTP_URL: `smtp://host:25`, `smtps://user:pass@host:465`;
 * TSUDOI_SMTP_FROM). Delivered once the SMTP server accepted the message (250 after DATA).
 * One transport for the hub, made when the first mail is sent.
 */
export function emailSender (options: { url: string, from: string, timeZone: string }): { send: Sender, close: () => void } {
  let transport: Transporter | undefined
  return {
    send: async (delivery: DueDelivery): Promise<void> => {
      if (delivery.channel.type !== 'email') throw new SendError('not an e-mail channel')
      transport ??= nodemailer.createTransport(options.url, { from: options.from })
      try {
        await transport.sendMail({
          to: delivery.channel.to,
          subject: subject(delivery.notification),
          text: bodyText(delivery.notification, options.timeZone),
          headers: { 'x-tsudoi-alert': delivery.notification.alert }
        })
      } catch (error) {
        // nodemailer's messages name the server's answer; they hold no password (the URL is not in them).
        throw new SendError(`SMTP: ${(error as Error).message}`)
      }
    },
    close: () => { transport?.close() }
  }
}
