// An S3-compatible server for the tests, in its own process (child-server.ts): s3rver keeps objects
// in the folder S3RVER_DIR and speaks the S3 REST API with SigV4 checked, on 127.0.0.1:PORT.
// Prints S3RVER_READY (s3-server.ts) once it listens.
import S3rver from 's3rver';

const port = Number(process.env.PORT);
const directory = process.env.S3RVER_DIR;
if (!Number.isInteger(port) || port <= 0 || !directory) throw new Error('PORT and S3RVER_DIR must be set');
const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, vhostBuckets: false });
await server.run();
console.log(`s3rver listening on http://127.0.0.1:${port}`);
process.on('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});
