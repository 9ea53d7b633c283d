// An S3-compatible server for the tests, in its own process: s3rver (npm) keeps objects in a
// folder and speaks the S3 REST API with SigV4 checked. Prints its address once it listens.
import S3rver from 's3rver';

const [port, directory] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: Number(port), directory, silent: true, vhostBuckets: false });
await server.run();
console.log(`s3rver listening on http://127.0.0.1:${port}`);
process.on('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});
