import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An in-memory S3 endpoint (path-style) with the parts of the protocol the checkpoint store uses, and
 * the rules of a bucket created with Object Lock that matter to it: versioning (a PUT over a key adds
 * a version, a DELETE without a version id adds a delete marker), `If-None-Match: *` refused with 412
 * when the key exists, a locked version cannot be deleted, and an Object Lock PUT needs a checksum
 * header (as S3 requires). Signatures are not checked. It stands in for MinIO or S3 in the tests; it
 * is not a general S3.
 */
export interface FakeObjectVersion {
  versionId: string;
  body: Buffer;
  lastModified: Date;
  deleteMarker: boolean;
  lockMode?: string;
  retainUntil?: Date;
  contentType?: string;
}

export interface FakeS3 {
  url: string;
  /** bucket → key → versions, oldest first. */
  buckets: Map<string, { objectLock: boolean; objects: Map<string, FakeObjectVersion[]> }>;
  createBucket(name: string, objectLock: boolean): void;
  /** Every request seen, for assertions (method, path and query, headers). */
  requests: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

const xml = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
};
const error = (res: ServerResponse, status: number, code: string, message: string) =>
  xml(res, status, `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fake</RequestId></Error>`);
const wholeSecond = () => new Date(Math.floor(Date.now() / 1000) * 1000);
/** Entries per ListObjectVersions page. */
const PAGE = 3;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The payload of an `aws-chunked` body (the SDK's streaming upload with a trailing checksum). */
function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(raw.subarray(at, lineEnd).toString().split(';')[0], 16);
    if (!size) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export async function startFakeS3(): Promise<FakeS3> {
  const buckets: FakeS3['buckets'] = new Map();
  const requests: FakeS3['requests'] = [];
  let versionCounter = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Buffer = Buffer.concat(chunks);
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://fake');
    const [, bucketName, ...keyParts] = url.pathname.split('/');
    const key = decodeURIComponent(keyParts.join('/'));
    const bucket = buckets.get(bucketName);
    if (!bucket) return error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');

    if (!key) {
      if (req.method === 'GET' && url.searchParams.has('object-lock')) {
        if (!bucket.objectLock)
          return error(res, 404, 'ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket');
        return xml(res, 200, '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>');
      }
      if (req.method === 'GET' && url.searchParams.has('versions')) {
        const prefix = url.searchParams.get('prefix') ?? '';
        // Every version and delete marker, keys in order, each key's newest first (as S3 lists them).
        const all: { key: string; v: FakeObjectVersion; latest: boolean }[] = [];
        for (const [k, versions] of [...bucket.objects].sort(([a], [b]) => (a < b ? -1 : 1))) {
          if (k.startsWith(prefix)) [...versions].reverse().forEach((v, i) => all.push({ key: k, v, latest: i === 0 }));
        }
        // Small pages, so that a client that does not follow NextKeyMarker misses versions.
        const keyMarker = url.searchParams.get('key-marker');
        const versionMarker = url.searchParams.get('version-id-marker');
        const from = keyMarker ? all.findIndex((e) => e.key === keyMarker && e.v.versionId === versionMarker) + 1 : 0;
        const page = all.slice(from, from + PAGE);
        const truncated = from + PAGE < all.length;
        const last = page[page.length - 1];
        const entries = page.map(({ key: k, v, latest }) => {
          const common = `<Key>${esc(k)}</Key><VersionId>${v.versionId}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${v.lastModified.toISOString()}</LastModified>`;
          return v.deleteMarker
            ? `<DeleteMarker>${common}</DeleteMarker>`
            : `<Version>${common}<ETag>"${createHash('md5').update(v.body).digest('hex')}"</ETag><Size>${v.body.length}</Size><StorageClass>STANDARD</StorageClass></Version>`;
        });
        const next = truncated
          ? `<NextKeyMarker>${esc(last.key)}</NextKeyMarker><NextVersionIdMarker>${last.v.versionId}</NextVersionIdMarker>`
          : '';
        return xml(
          res,
          200,
          `<ListVersionsResult><Name>${bucketName}</Name><Prefix>${esc(prefix)}</Prefix><MaxKeys>${PAGE}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${entries.join('')}</ListVersionsResult>`,
        );
      }
      return error(res, 400, 'NotImplemented', `The fake S3 does not do ${req.method} ${url.search} on a bucket`);
    }

    const versions = bucket.objects.get(key) ?? [];
    const current = versions[versions.length - 1];
    if (req.method === 'PUT') {
      if (req.headers['if-none-match'] === '*' && current && !current.deleteMarker)
        return error(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
      const lockMode = req.headers['x-amz-object-lock-mode'] as string | undefined;
      const retainUntil = req.headers['x-amz-object-lock-retain-until-date'] as string | undefined;
      if (lockMode && !bucket.objectLock) return error(res, 400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration');
      const hasChecksum = req.headers['content-md5'] || Object.keys(req.headers).some((h) => h.startsWith('x-amz-checksum-'));
      const trailer = req.headers['x-amz-trailer'];
      if (lockMode && !hasChecksum && !trailer)
        return error(
          res,
          400,
          'InvalidRequest',
          'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
        );
      if (String(req.headers['content-encoding'] ?? '').includes('aws-chunked') || trailer) body = decodeAwsChunked(body);
      const v: FakeObjectVersion = {
        versionId: `v${++versionCounter}`,
        body,
        lastModified: wholeSecond(), // S3 reports seconds: versions written together tie
        deleteMarker: false,
        lockMode,
        retainUntil: retainUntil ? new Date(retainUntil) : undefined,
        contentType: req.headers['content-type'],
      };
      bucket.objects.set(key, [...versions, v]);
      res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"`, 'x-amz-version-id': v.versionId });
      return res.end();
    }
    if (req.method === 'GET') {
      const wanted = url.searchParams.get('versionId');
      const v = wanted ? versions.find((x) => x.versionId === wanted) : current;
      if (!v || v.deleteMarker) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, {
        'content-type': v.contentType ?? 'application/octet-stream',
        'content-length': v.body.length,
        'x-amz-version-id': v.versionId,
      });
      return res.end(v.body);
    }
    if (req.method === 'DELETE') {
      const wanted = url.searchParams.get('versionId');
      if (wanted) {
        const v = versions.find((x) => x.versionId === wanted);
        if (v?.retainUntil && v.retainUntil > new Date())
          return error(res, 403, 'AccessDenied', 'Access Denied because object protected by object lock.');
        bucket.objects.set(
          key,
          versions.filter((x) => x.versionId !== wanted),
        );
        res.writeHead(204);
        return res.end();
      }
      bucket.objects.set(key, [
        ...versions,
        {
          versionId: `v${++versionCounter}`,
          body: Buffer.alloc(0),
          lastModified: wholeSecond(),
          deleteMarker: true,
        },
      ]);
      res.writeHead(204, { 'x-amz-delete-marker': 'true' });
      return res.end();
    }
    return error(res, 400, 'NotImplemented', `The fake S3 does not do ${req.method} on an object`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => error(res, 500, 'InternalError', err.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    buckets,
    requests,
    createBucket(name, objectLock) {
      buckets.set(name, { objectLock, objects: new Map() });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
