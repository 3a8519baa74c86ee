// Reference servers answering the same connect request as Orchard with no work at all, so
// Orchard's figures can be read as ratios to what this machine's HTTP stack can do.
// Forked as a child: message { kind: 'http' | 'express' } → replies { port }.
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

process.on('message', (job: { kind: 'http' | 'express' }) => {
  let server: http.Server;
  if (job.kind === 'http') {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { 'Content-Length': 0 });
        res.end();
      });
    });
  } else {
    const app = express();
    app.put(['/mdm', '/mdm/connect', '/mdm/checkin'], express.raw({ type: 'application/x-apple-aspen-mdm', limit: '1mb' }), (_req, res) => {
      res.status(200).end();
    });
    server = http.createServer(app);
  }
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
});
