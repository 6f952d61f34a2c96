import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A server listening on a free loopback port. */
export interface LoopbackListener {
  /** The port it listens on. */
  readonly port: number;
  /** Destroys open connections (keep-alive ones too) and closes the server. */
  stop(): Promise<void>;
}

/**
 * Starts `server` on a free port of 127.0.0.1 and tracks its connections, so that `stop` ends
 * at once even while clients hold keep-alive sockets.
 *
 * @example
 * const { port, stop } = await listenOnLoopback(createServer(handler));
 */
export const listenOnLoopback = async (server: Server): Promise<LoopbackListener> => {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
