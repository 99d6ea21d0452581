/**
 * A webhook receiver on 127.0.0.1 (random port) for the webhook tests: records every request
 * with its raw body, answers as the test scripts it, and — like a well-behaved receiver —
 * processes each Idempotency-Key once, so tests can check exactly-once processing on top of
 * at-least-once delivery.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../consumers/webhooks/webhook-signature.js';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  rawBody: string;
  idempotencyKey: string;
  eventIds: string[];
  /** The signature checked against the receiver's secret. */
  signatureOk: boolean;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (to trip the sender's timeout). */
  delayMs?: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Event ids processed, once per Idempotency-Key answered with 2xx. */
  processed: string[];
  /** Requests answered 2xx whose key had been processed before. */
  duplicates: number;
  respond: (request: ReceivedRequest, index: number) => Reply;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret: string, respond: WebhookReceiver['respond'] = () => ({ status: 200 })): Promise<WebhookReceiver> {
  const seenKeys = new Set<string>();
  const receiver: WebhookReceiver = { url: '', requests: [], processed: [], duplicates: 0, respond, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedRequest = {
        headers: req.headers,
        rawBody,
        idempotencyKey: String(req.headers['idempotency-key']),
        eventIds: String(req.headers['x-clv-event-ids'] ?? '').split(',').filter((s) => s !== '').map(decodeURIComponent),
        signatureOk: verifyWebhookSignature(req.headers['x-clv-signature'] as string | undefined, rawBody, secret).ok,
      };
      const index = receiver.requests.push(request) - 1;
      const reply = receiver.respond(request, index);
      // Processes before answering, as real receivers do: a sender that timed out meanwhile
      // retries, and the key catches the duplicate.
      const send = () => {
        if (reply.status >= 200 && reply.status < 300) {
          if (seenKeys.has(request.idempotencyKey)) receiver.duplicates++;
          else {
            seenKeys.add(request.idempotencyKey);
            receiver.processed.push(...request.eventIds);
          }
        }
        if (!res.destroyed) res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return receiver;
}
