import type { IncomingMessage, Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { z } from "zod";
import type { Db } from "../db/db.ts";
import { eventsAfter, toLiveEvent } from "../db/events_repo.ts";
import { findSessionUser } from "../db/sessions_repo.ts";
import { sessionOf, type SessionSockets } from "../services/accounts.ts";
import { parse as parseCookies } from "hono/utils/cookie";
import { isSameOrigin } from "../lib/origin.ts";
import { clientView, type TrustProxy } from "../lib/proxy.ts";
import { hopFacts } from "../lib/socket_hop.ts";
import type { Logger } from "../lib/log.ts";
import { appConfig } from "../fresh.config.ts";
import { Dispatcher, LIVE_EVENT } from "./dispatcher.ts";
import { allowedRooms, sessionRoom } from "./rooms.ts";

const resumeSchema = z.object({ lastEventId: z.number().int().min(0).nullable().optional() });
const joinSchema = z.object({ room: z.string().max(100) });
/** How long a connection without `auth.lastEventId` waits for `resume` before going live. */
const RESUME_GRACE_MS = 500;

interface SocketData {
  user?: { id: string; role: string; name: string };
  /** The session the socket signed in with (the token's hash); its sockets close when it ends. */
  sessionId?: string;
  rooms: string[];
  /** Increments on every catch-up so an older one stops when a newer starts. */
  generation: number;
}

/**
 * Socket.io on its own `node:http` server, reached through the front's hop (`lib/socket_hop.ts`):
 * cookie auth, Origin check, authorised rooms, resume. A handshake that did not come through the hop
 * (no secret) is refused.
 */
export function attachRealtime(
  httpServer: HttpServer,
  deps: { db: Db; log: Logger; trustProxy?: TrustProxy; hopSecret: string },
) {
  const trust = deps.trustProxy ?? { kind: "none" };
  const io = new Server(httpServer, {
    serveClient: false,
    // Clients only ever send small control messages (resume, join): a larger one closes the connection.
    maxHttpBufferSize: appConfig.http.maxSocketMessageBytes,
    allowRequest: (req: IncomingMessage, callback) => {
      const facts = hopFacts(req.headers, deps.hopSecret);
      if (!facts) return callback("not through the front", false);
      const origin = req.headers.origin;
      callback(null, !origin || isSameOrigin(origin, clientView(facts, trust)));
    },
  });
  const dispatcher = new Dispatcher(deps.db, io, deps.log);

  io.use(async (socket, next) => {
    try {
      const token =
        parseCookies(socket.request.headers.cookie ?? "", appConfig.session.cookieName)[appConfig.session.cookieName];
      const session = await sessionOf(deps.db, token);
      const data = socket.data as SocketData;
      const user = session?.user;
      data.user = user ? { id: String(user.id), role: user.role, name: user.name } : undefined;
      data.sessionId = session?.id;
      data.rooms = allowedRooms(data.user);
      data.generation = 0;
      next();
    } catch (err) {
      deps.log.error("socket auth failed", { error: String(err) });
      next(new Error("unavailable"));
    }
  });

  /** Replays what the socket missed after `lastId`, then joins its rooms with no gap in between. */
  async function catchUp(socket: Socket, lastId: number): Promise<number> {
    const data = socket.data as SocketData;
    const generation = ++data.generation;
    for (const room of data.rooms) socket.leave(room);
    let sent = lastId;
    while (socket.connected && generation === data.generation) {
      const until = dispatcher.cursor;
      if (sent >= until) {
        // Synchronous with the check above: every event after `until` is dispatched to the rooms.
        socket.join(data.rooms);
        return sent;
      }
      const batch = await eventsAfter(deps.db, sent, { untilId: until, rooms: data.rooms, limit: 500 });
      if (generation !== data.generation) break;
      for (const e of batch) socket.emit(LIVE_EVENT, toLiveEvent(e));
      sent = batch.length === 500 ? Number(batch[batch.length - 1].id) : until;
    }
    return sent;
  }

  io.on("connection", (socket) => {
    const data = socket.data as SocketData;
    if (data.sessionId) {
      socket.join(sessionRoom(data.sessionId));
      // A session ended between the handshake's check and this join sent its disconnect before the
      // socket was in the room: check again now that any later one will reach it.
      findSessionUser(deps.db, data.sessionId).then(
        (still) => {
          if (!still) socket.disconnect(true);
        },
        (err) => deps.log.error("session re-check failed", { error: String(err) }),
      );
    }
    const handshake = resumeSchema.safeParse(socket.handshake.auth ?? {});
    const fromHandshake = handshake.success ? handshake.data.lastEventId : undefined;
    const connectedAt = dispatcher.cursor;
    let grace: ReturnType<typeof setTimeout> | undefined;
    if (typeof fromHandshake === "number") {
      catchUp(socket, fromHandshake).catch((err) => deps.log.error("catch-up failed", { error: String(err) }));
    } else {
      grace = setTimeout(() => catchUp(socket, connectedAt).catch(() => {}), RESUME_GRACE_MS);
    }

    socket.on("resume", async (payload: unknown, ack?: unknown) => {
      clearTimeout(grace);
      const parsed = resumeSchema.safeParse(payload ?? {});
      const reply = typeof ack === "function" ? ack : () => {};
      if (!parsed.success) return reply({ ok: false, error: "invalid_input" });
      try {
        const last = parsed.data.lastEventId ?? connectedAt;
        reply({ ok: true, lastEventId: await catchUp(socket, last) });
      } catch (err) {
        deps.log.error("resume failed", { error: String(err) });
        reply({ ok: false, error: "unavailable" });
      }
    });

    socket.on("join", (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const parsed = joinSchema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: "invalid_input" });
      if (!data.rooms.includes(parsed.data.room)) return reply({ ok: false, error: "forbidden" });
      socket.join(parsed.data.room);
      reply({ ok: true });
    });

    socket.on("disconnect", () => clearTimeout(grace));
  });

  return { io, dispatcher };
}

/**
 * Session sockets over socket.io: `disconnect` closes the sessions' rooms on every instance (through the
 * PostgreSQL adapter when several instances share the database). `io` is read when called, so the port
 * can be handed to the app before socket.io is attached.
 */
export function sessionSockets(io: () => Server | undefined): SessionSockets {
  return {
    disconnect(sessionIds) {
      const server = io();
      if (server && sessionIds.length) server.in(sessionIds.map(sessionRoom)).disconnectSockets(true);
    },
  };
}
