// Starts the fauxqs emulator (SQS and S3) for the tests, listening on 127.0.0.1 only (fauxqs itself binds every interface).
// Usage: node fauxqs-loopback.mjs <port> [<address>]; prints "ready <port>" once it accepts requests.
// <address> (default 127.0.0.1): another address of this host, e.g. of a network namespace a test created.
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args[0] !== null && typeof args[0] === "object" && !Array.isArray(args[0])) {
    args[0] = { ...args[0], host: process.argv[3] ?? "127.0.0.1" };
  }
  return listen.apply(this, args);
};

const { startFauxqs } = await import("fauxqs");
const port = Number(process.argv[2] ?? 0);
const server = await startFauxqs({ port, logger: false });
console.log(`ready ${server.port}`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0)); // the test closes stdin (or dies): the emulator goes too
