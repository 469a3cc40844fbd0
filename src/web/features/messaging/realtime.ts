import type { ServerFrame } from './messaging.types';

type Listener = (frame: ServerFrame) => void;
export type SocketState = 'connecting' | 'open' | 'closed';

/**
 * One WebSocket per browser tab for chat delivery, read receipts and interview signaling. It reconnects with
 * backoff; listeners hear 'ready' after every (re)connect and resume from the last message they have.
 */
class RealtimeClient {
  private ws: WebSocket | null = null;
  private listeners = new Set<Listener>();
  private stateListeners = new Set<(s: SocketState) => void>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  state: SocketState = 'closed';

  private setState(s: SocketState) {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private open() {
    if (this.ws || typeof window === 'undefined') return;
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/v1/ws`;
    const ws = new WebSocket(url);
    this.ws = ws;
    this.setState('connecting');
    ws.onmessage = (e) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(e.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'ready') {
        this.attempt = 0;
        this.setState('open');
      }
      for (const l of [...this.listeners]) l(frame);
    };
    ws.onclose = () => {
      this.ws = null;
      this.setState('closed');
      if (this.listeners.size === 0) return;
      const delay = Math.min(10_000, 500 * 2 ** this.attempt++);
      this.timer = setTimeout(() => this.open(), delay);
    };
  }

  /** Listens to every frame; the socket opens with the first listener and closes after the last. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    this.open();
    if (this.state === 'open') queueMicrotask(() => listener({ type: 'ready', userId: '' }));
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        clearTimeout(this.timer);
        this.ws?.close();
      }
    };
  }

  onState(listener: (s: SocketState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Sends a frame if connected; returns whether it went out. */
  send(frame: object): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }
}

export const realtime = new RealtimeClient();
