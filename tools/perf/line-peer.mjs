// A long-lived child process spoken to in JSON lines: one request line on its stdin, one reply line on its stdout,
// one request at a time. What the bench's peers (pytorch_peer.py) are driven through.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EmpiricalBregmanError } from '@empirical-bregman/common';

/** Lines of the child's stderr kept for the message when it dies (the last one is usually the exception). */
const STDERR_LINES = 5;

export class LinePeer {
  /**
   * Starts `command args` and waits for its first line, which must be a JSON object with `ready: true` (an object
   * with `error` instead is the child's own reason for not starting). Rejects with an `UNAVAILABLE`
   * EmpiricalBregmanError naming `name` when it does not come within `readyTimeoutMs`.
   */
  static async start({ name, command, args = [], env = process.env, readyTimeoutMs = 120_000 }) {
    const peer = new LinePeer(name, spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] }));
    const hello = await peer.nextLine('a ready line', readyTimeoutMs);
    if (hello.ready !== true) {
      const got = typeof hello.error === 'string' ? hello.error : JSON.stringify(hello);
      peer.fail(`expected a ready line, got ${got}`);
      throw peer.failureError();
    }
    peer.hello = hello;
    return peer;
  }

  constructor(name, child) {
    this.name = name;
    this.child = child;
    /** The first line's fields (versions), once started. */
    this.hello = null;
    /** Why the peer can no longer answer (one line), or null while it can. */
    this.failure = null;
    this.stderr = [];
    this.lines = [];
    this.waiting = null;
    /** What the caller waits for (named in the message if the child dies meanwhile). */
    this.expecting = null;
    this.queue = Promise.resolve();
    /** True once the child has exited and its output has ended. */
    this.closed = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => {
      for (const line of text.split('\n')) if (line.trim()) this.stderr.push(line.trim());
      this.stderr.splice(0, Math.max(0, this.stderr.length - STDERR_LINES));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.trim()) return;
      this.lines.push(line);
      this.wake();
    });
    child.on('error', (error) => this.fail(`expected to run ${child.spawnfile}, got ${error.message}`));
    child.stdin.on('error', () => {}); // a dead child's EPIPE: its 'close' says why
    child.on('close', (code, signal) => {
      this.closed = true;
      const last = this.stderr[this.stderr.length - 1];
      this.fail(
        `expected ${this.expecting ?? 'it to keep running'}, got exit ${code ?? signal}${last ? `: ${last}` : ''}`,
      );
    });
  }

  /** The reply to `message` (a JSON object), after the requests before it; `what` names it in messages. */
  request(message, { what = JSON.stringify(message), timeoutMs = 120_000 } = {}) {
    const turn = this.queue.then(async () => {
      if (this.failure !== null) throw this.failureError();
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
      const reply = await this.nextLine(`an answer to ${what}`, timeoutMs);
      if (typeof reply.error === 'string')
        throw new EmpiricalBregmanError(this.name, 'UNAVAILABLE', `expected ${what}, got error ${reply.error}`);
      return reply;
    });
    this.queue = turn.catch(() => {});
    return turn;
  }

  /** Ends the child: closes its stdin (it exits at end of input), kills it if it has not gone after `graceMs`. */
  async close(graceMs = 5_000) {
    if (this.closed) return;
    const exited = new Promise((resolve) => this.child.once('close', resolve));
    this.closing = true;
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  failureError() {
    return new EmpiricalBregmanError(this.name, 'UNAVAILABLE', this.failure);
  }

  /** Records the first reason the peer stopped being usable, stops the child, and wakes a waiting request. */
  fail(reason) {
    if (this.failure !== null || this.closing) return;
    this.failure = reason;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.wake();
  }

  wake() {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }

  /** The next stdout line as a JSON object; rejects when the child fails or `timeoutMs` passes first. */
  async nextLine(what, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    this.expecting = what;
    while (this.lines.length === 0) {
      if (this.failure !== null) throw this.failureError();
      const left = deadline - Date.now();
      if (left <= 0) {
        this.fail(`expected ${what} within ${timeoutMs / 1000} s, got none (stopped it)`);
        throw this.failureError();
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.expecting = null;
    const line = this.lines.shift();
    try {
      const value = JSON.parse(line);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
    } catch {
      // reported below
    }
    this.fail(`expected ${what} as a JSON object, got ${JSON.stringify(line.slice(0, 80))}`);
    throw this.failureError();
  }
}
