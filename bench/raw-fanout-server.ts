/*
 * The raw fan-out baseline for bench/hub-load.bench.ts: a plain socket.io server with the same
 * Redis Streams adapter as the hub, no store and no checks. A client joins a room, and `relay`
 * broadcasts its message to that room on every node, as a hub's commit broadcast does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';

const server = http.createServer();
const io = new Server(server, { serveClient: false, maxHttpBufferSize: 8 * 1024 * 1024 });
const redis = createClient({ url: process.env['RAW_REDIS'] ?? 'redis://127.0.0.1:6379' });
redis.on('error', () => undefined);
await redis.connect();
io.adapter(createAdapter(redis, { streamName: process.env['RAW_STREAM'] ?? 'conn-raw' }));
io.on('connection', (s) => {
  s.on('join', (room: string, ack: () => void) => {
    void s.join(room);
    ack();
  });
  s.on('relay', (room: string, msg: unknown, ack: () => void) => {
    io.to(room).emit('events', msg);
    ack();
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => {
  io.close();
  void redis.quit().finally(() => process.exit(0));
});
