'use strict';
// A browser's side of the bridge, played by the official client: @vertx/eventbus-bridge-client.js over
// sockjs-client. The Java test (support/JsBridgeClient) writes one command a line on stdin and reads one
// JSON line per thing the client saw on stdout:
//   {"on":"open","transport":"websocket"}           the SockJS transport sockjs-client settled on
//   {"on":"message","address":..,"frame":{..}}      a handler got a message (the frame as the client passed it)
//   {"on":"failure","address":..,"failure":{..}}    a handler got an error ({failureCode, failureType, message})
//   {"on":"error","frame":{..}}                     eb.onerror: an error frame no handler claimed
//   {"on":"close","code":..,"reason":..}            the connection closed (then the script exits)
//   {"on":"bad-command","message":..}               a command the client refused (e.g. INVALID_STATE_ERR)
// Commands: {"op":"register"|"unregister"|"send"|"publish","address":..,"headers"?:{..},"body"?:..}
// and {"op":"close"}.
// Usage: node bridge-client.js <bridge url> [token|-] [transport|-] [ping ms, -1 for none]
const EventBus = require('@vertx/eventbus-bridge-client.js');
const readline = require('readline');

const [url, token, transport, ping] = process.argv.slice(2);
const options = {vertxbus_ping_interval: Number(ping || 5000)};
if (transport && transport !== '-') {
  options.transports = [transport];
}

function out(line) {
  process.stdout.write(JSON.stringify(line) + '\n');
}

const eb = new EventBus(url, options);
if (token && token !== '-') {
  eb.defaultHeaders = {Authorization: 'Bearer ' + token};
}
const handlers = {};

eb.onopen = () => out({on: 'open', transport: eb.sockJSConn.transport});
eb.onerror = frame => out({on: 'error', frame});
eb.onclose = e => {
  out({on: 'close', code: e && e.code, reason: e && e.reason});
  process.exit(0);
};

readline.createInterface({input: process.stdin}).on('line', text => {
  if (!text.trim()) {
    return;
  }
  try {
    const c = JSON.parse(text);
    switch (c.op) {
      case 'register':
        handlers[c.address] = (failure, frame) => out(failure
            ? {on: 'failure', address: c.address, failure}
            : {on: 'message', address: c.address, frame});
        eb.registerHandler(c.address, c.headers, handlers[c.address]);
        break;
      case 'unregister':
        eb.unregisterHandler(c.address, c.headers, handlers[c.address]);
        break;
      case 'send':
        eb.send(c.address, c.body, c.headers);
        break;
      case 'publish':
        eb.publish(c.address, c.body, c.headers);
        break;
      case 'close':
        eb.close();
        break;
      default:
        out({on: 'bad-command', message: 'unknown op ' + c.op});
    }
  } catch (e) {
    out({on: 'bad-command', message: String(e && e.message || e)});
  }
}).on('close', () => {
  // The test went away: leave no socket open behind it.
  if (eb.state === EventBus.OPEN) {
    eb.close();
  }
  setTimeout(() => process.exit(0), 1000).unref();
});
