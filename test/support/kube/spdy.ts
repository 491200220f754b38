// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// The server side of a SPDY/3.1 session, the framing kubectl's port-forward still speaks: over an
// HTTP upgrade (Upgrade: SPDY/3.1), or tunnelled through a WebSocket whose binary messages carry the
// SPDY bytes (KEP-4006, subprotocol "SPDY/3.1+portforward.k8s.io"). Framing per the SPDY draft 3
// specification (control frames SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY, HEADERS,
// WINDOW_UPDATE; data frames with FLAG_FIN), header blocks zlib-compressed with the draft's
// dictionary and one compression context per direction for the whole session. Flow control is not
// enforced, as moby/spdystream (the library Kubernetes uses) does not enforce it either.

import { EventEmitter } from 'node:events';
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';

const WORDS = [
  'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language',
  'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding',
  'content-language', 'content-length', 'content-location', 'content-md5', 'content-range', 'content-type', 'date', 'etag',
  'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
  'last-modified', 'location', 'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer',
  'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning',
  'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive', 'origin',
];
const TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505203 Non-Authoritative Information' +
  '204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not ' +
  'Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, ' +
  'Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,' +
  'publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';

/** The header compression dictionary of SPDY draft 3 (section 2.6.10.1): length-prefixed words, then a tail. */
export const SPDY3_DICTIONARY = Buffer.concat([
  ...WORDS.map((word) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(word.length);
    return Buffer.concat([length, Buffer.from(word, 'latin1')]);
  }),
  Buffer.from(TAIL, 'latin1'),
]);

const TYPE = { SYN_STREAM: 1, SYN_REPLY: 2, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, HEADERS: 8, WINDOW_UPDATE: 9 } as const;
const FLAG_FIN = 0x01;

/** One direction's compression context, used in order (each block depends on the ones before). */
class ZContext {
  private queue: Promise<unknown> = Promise.resolve();
  constructor(private readonly stream: Deflate | Inflate) {
    stream.pause();
    stream.on('error', () => {});
  }

  run(input: Buffer): Promise<Buffer> {
    const next = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          this.stream.write(input, (error) => error && reject(error));
          this.stream.flush(constants.Z_SYNC_FLUSH, () => {
            const chunks: Buffer[] = [];
            let chunk: Buffer | null;
            while ((chunk = this.stream.read() as Buffer | null) !== null) chunks.push(chunk);
            resolve(Buffer.concat(chunks));
          });
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.stream.destroy();
  }
}

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const entries = Object.entries(headers);
  parts.push(u32(entries.length));
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(value);
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

function decodeHeaders(block: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  let at = 0;
  const count = block.readUInt32BE(at);
  at += 4;
  for (let i = 0; i < count; i++) {
    const nameLength = block.readUInt32BE(at);
    const name = block.subarray(at + 4, at + 4 + nameLength).toString();
    at += 4 + nameLength;
    const valueLength = block.readUInt32BE(at);
    headers[name] = block.subarray(at + 4, at + 4 + valueLength).toString().split('\0')[0];
    at += 4 + valueLength;
  }
  return headers;
}

function controlFrame(type: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8003, 0); // control bit, version 3
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

/** A byte pipe under the session: a socket, or a WebSocket carrying binary messages. */
export interface SpdyTransport {
  write(data: Buffer): void;
  end(): void;
}

export class SpdyStream extends EventEmitter {
  /** Set once the client half-closed its side (FLAG_FIN). */
  remoteClosed = false;
  private localClosed = false;

  constructor(readonly id: number, readonly headers: Record<string, string>, private readonly session: SpdySession) {
    super();
  }

  write(data: Buffer): void {
    if (!this.localClosed && data.length) this.session.send(dataFrame(this.id, 0, data));
  }

  /** Half-closes our side. */
  end(): void {
    if (this.localClosed) return;
    this.localClosed = true;
    this.session.send(dataFrame(this.id, FLAG_FIN, Buffer.alloc(0)));
  }

  reset(status = 5 /* CANCEL */): void {
    const data = Buffer.alloc(8);
    data.writeUInt32BE(this.id & 0x7fffffff, 0);
    data.writeUInt32BE(status, 4);
    this.localClosed = true;
    this.session.send(controlFrame(TYPE.RST_STREAM, 0, data));
  }
}

/** Emits 'stream' for every SYN_STREAM (after replying to it) and 'close' when the session ends. */
export class SpdySession extends EventEmitter {
  private buffer = Buffer.alloc(0);
  private readonly inflate = new ZContext(createInflate({ dictionary: SPDY3_DICTIONARY }));
  private readonly deflate = new ZContext(createDeflate({ dictionary: SPDY3_DICTIONARY }));
  private readonly streams = new Map<number, SpdyStream>();
  private pending: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly transport: SpdyTransport) {
    super();
  }

  /** Feeds bytes from the transport; frames are handled in order. */
  receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 8) {
      const length = this.buffer.readUInt32BE(4) & 0xffffff;
      if (this.buffer.length < 8 + length) break;
      const frame = this.buffer.subarray(0, 8 + length);
      this.buffer = this.buffer.subarray(8 + length);
      this.pending = this.pending.then(() => this.handle(frame)).catch(() => this.close());
    }
  }

  send(frame: Buffer): void {
    if (!this.closed) this.transport.write(frame);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.streams.values()) stream.emit('end');
    this.streams.clear();
    this.inflate.close();
    this.deflate.close();
    this.transport.end();
    this.emit('close');
  }

  private async handle(frame: Buffer): Promise<void> {
    const flags = frame[4];
    const body = frame.subarray(8);
    if ((frame[0] & 0x80) === 0) {
      const stream = this.streams.get(frame.readUInt32BE(0) & 0x7fffffff);
      if (!stream) return;
      if (body.length) stream.emit('data', Buffer.from(body));
      if (flags & FLAG_FIN) {
        stream.remoteClosed = true;
        stream.emit('end');
      }
      return;
    }
    const type = frame.readUInt16BE(2);
    if (type === TYPE.SYN_STREAM) {
      const id = body.readUInt32BE(0) & 0x7fffffff;
      const headers = decodeHeaders(await this.inflate.run(body.subarray(10)));
      const stream = new SpdyStream(id, headers, this);
      this.streams.set(id, stream);
      const reply = Buffer.alloc(4);
      reply.writeUInt32BE(id);
      this.send(controlFrame(TYPE.SYN_REPLY, 0, Buffer.concat([reply, await this.deflate.run(encodeHeaders({}))])));
      this.emit('stream', stream);
      if (flags & FLAG_FIN) {
        stream.remoteClosed = true;
        stream.emit('end');
      }
    } else if (type === TYPE.HEADERS || type === TYPE.SYN_REPLY) {
      await this.inflate.run(body.subarray(4)); // keep the compression context in step
    } else if (type === TYPE.RST_STREAM) {
      const id = body.readUInt32BE(0) & 0x7fffffff;
      this.streams.get(id)?.emit('end');
      this.streams.delete(id);
    } else if (type === TYPE.PING) {
      this.send(controlFrame(TYPE.PING, 0, Buffer.from(body)));
    } else if (type === TYPE.GOAWAY) {
      this.close();
    }
    // SETTINGS and WINDOW_UPDATE need no answer.
  }
}
