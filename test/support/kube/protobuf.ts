// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Request bodies in Kubernetes' protobuf encoding, which kubectl's typed clients send (`kubectl
// create namespace`, `kubectl create configmap|secret|serviceaccount`): the "k8s\0" envelope around a
// runtime.Unknown (typeMeta = 1, raw = 2; apimachinery pkg/runtime/generated.proto), and the objects
// of those four kinds with the field numbers of k8s.io/api core/v1 and apimachinery meta/v1
// generated.proto. Other kinds are refused (415) with a message saying so: send them as JSON or YAML
// (`kubectl create -f`, `kubectl apply`).

type Json = string | number | boolean | Json[] | { [key: string]: Json };
type Schema = Record<number, Field>;
type Field = { name: string; type: 'string' | 'bytes' | 'bool' | 'int' } | { name: string; type: 'message'; schema: () => Schema } | { name: string; type: 'map'; value: 'string' | 'bytes' } | { name: string; type: 'repeated-string' } | { name: string; type: 'repeated-message'; schema: () => Schema };

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const TIME: Schema = { 1: { name: 'seconds', type: 'int' } };
const OBJECT_META: Schema = {
  1: { name: 'name', type: 'string' }, 2: { name: 'generateName', type: 'string' }, 3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' }, 6: { name: 'resourceVersion', type: 'string' },
  8: { name: 'creationTimestamp', type: 'message', schema: () => TIME },
  11: { name: 'labels', type: 'map', value: 'string' }, 12: { name: 'annotations', type: 'map', value: 'string' },
  14: { name: 'finalizers', type: 'repeated-string' },
};
const meta: Field = { name: 'metadata', type: 'message', schema: () => OBJECT_META };
const KINDS: Record<string, Schema> = {
  Namespace: { 1: meta, 2: { name: 'spec', type: 'message', schema: () => ({ 1: { name: 'finalizers', type: 'repeated-string' } }) } },
  ConfigMap: { 1: meta, 2: { name: 'data', type: 'map', value: 'string' }, 3: { name: 'binaryData', type: 'map', value: 'bytes' }, 4: { name: 'immutable', type: 'bool' } },
  Secret: { 1: meta, 2: { name: 'data', type: 'map', value: 'bytes' }, 3: { name: 'type', type: 'string' }, 4: { name: 'stringData', type: 'map', value: 'string' }, 5: { name: 'immutable', type: 'bool' } },
  ServiceAccount: {
    1: meta,
    2: { name: 'secrets', type: 'repeated-message', schema: () => ({ 1: { name: 'kind', type: 'string' }, 2: { name: 'namespace', type: 'string' }, 3: { name: 'name', type: 'string' } }) },
    3: { name: 'imagePullSecrets', type: 'repeated-message', schema: () => ({ 1: { name: 'name', type: 'string' } }) },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
};

class Reader {
  private at = 0;
  constructor(private readonly buffer: Buffer) {}
  get done(): boolean {
    return this.at >= this.buffer.length;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buffer[this.at++];
      if (byte === undefined) throw new Error('truncated varint');
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  }
  bytes(): Buffer {
    const length = this.varint();
    const out = this.buffer.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.bytes();
    else if (wireType === 1) this.at += 8;
    else if (wireType === 5) this.at += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

function decode(buffer: Buffer, schema: Schema): Record<string, Json> {
  const out: Record<string, Json> = {};
  const reader = new Reader(buffer);
  while (!reader.done) {
    const tag = reader.varint();
    const field = schema[Math.floor(tag / 8)];
    const wireType = tag & 7;
    if (!field) {
      reader.skip(wireType);
      continue;
    }
    switch (field.type) {
      case 'string': out[field.name] = reader.bytes().toString('utf8'); break;
      case 'bytes': out[field.name] = reader.bytes().toString('base64'); break;
      case 'bool': out[field.name] = reader.varint() !== 0; break;
      case 'int': out[field.name] = reader.varint(); break;
      case 'message': out[field.name] = decode(reader.bytes(), field.schema()); break;
      case 'repeated-string': out[field.name] = [...((out[field.name] as Json[]) ?? []), reader.bytes().toString('utf8')]; break;
      case 'repeated-message': out[field.name] = [...((out[field.name] as Json[]) ?? []), decode(reader.bytes(), field.schema())]; break;
      case 'map': {
        const entry = decode(reader.bytes(), { 1: { name: 'key', type: 'string' }, 2: { name: 'value', type: field.value } });
        out[field.name] = { ...((out[field.name] as Record<string, Json>) ?? {}), [String(entry.key)]: entry.value ?? '' };
        break;
      }
    }
  }
  return out;
}

export class UnsupportedProtobuf extends Error {}

/** The object a protobuf request body carries, in its JSON form. */
export function decodeProtobufObject(body: Buffer): Record<string, Json> {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new UnsupportedProtobuf('the protobuf body lacks the k8s envelope');
  const unknown = decode(body.subarray(4), { 1: { name: 'typeMeta', type: 'message', schema: () => ({ 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } }) }, 2: { name: 'raw', type: 'bytes' } });
  const typeMeta = (unknown.typeMeta ?? {}) as Record<string, string>;
  const schema = KINDS[typeMeta.kind];
  if (!schema) throw new UnsupportedProtobuf(`kube test server: protobuf bodies are decoded only for ${Object.keys(KINDS).join(', ')}, not ${typeMeta.kind}; send it as JSON or YAML (kubectl create -f, kubectl apply)`);
  const object = decode(Buffer.from(String(unknown.raw ?? ''), 'base64'), schema);
  const metadata = (object.metadata ?? {}) as Record<string, Json>;
  if (metadata.creationTimestamp) delete metadata.creationTimestamp; // the server sets it
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...object, metadata };
}
