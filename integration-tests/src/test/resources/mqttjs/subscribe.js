// Subscribes with MQTT.js (npm package "mqtt", found through NODE_PATH) and prints, each on a line:
// "suback <code>" once the SUBACK came (the granted QoS, or the failure code >= 0x80, then exits 1),
// then the first message received as JSON ({topic, qos, payload, contentType, responseTopic,
// correlationData}; absent properties null). Exits 0 once that message is acknowledged (PUBACK /
// PUBCOMP sent) and the client disconnected; 1 on an error or a refused subscription, 2 on a timeout.
// Usage: node subscribe.js <url> <clientId> <protocolVersion 4|5> <topicFilter> <qos> <timeoutSeconds>
'use strict';
const mqtt = require('mqtt');

const [url, clientId, version, filter, qos, timeoutSeconds] = process.argv.slice(2);
const timer = setTimeout(() => {
  console.error('timed out');
  process.exit(2);
}, Number(timeoutSeconds) * 1000);

const client = mqtt.connect(url, {
  clientId,
  protocolVersion: Number(version),
  clean: true,
  reconnectPeriod: 0,
  connectTimeout: 10000,
});
client.on('error', (e) => {
  console.error(`error: ${e.message}`);
  process.exit(1);
});
let received = false;
client.on('message', (topic, payload, packet) => {
  if (received) {
    return;
  }
  received = true;
  const p = packet.properties || {};
  console.log(
    JSON.stringify({
      topic,
      qos: packet.qos,
      payload: payload.toString('utf8'),
      contentType: p.contentType ?? null,
      responseTopic: p.responseTopic ?? null,
      correlationData: p.correlationData ? p.correlationData.toString('utf8') : null,
    }),
  );
  // MQTT.js sends the PUBACK / PUBCOMP right after this handler returns: end after that.
  setImmediate(() =>
    client.end(false, () => {
      clearTimeout(timer);
      process.exit(0);
    }),
  );
});
client.on('connect', () => {
  client.subscribe(filter, { qos: Number(qos) }, (err, granted) => {
    // A SUBACK with a failure code comes as an error that carries the SUBACK packet.
    const code = err ? err.packet?.granted?.[0] : granted[0].qos;
    if (typeof code !== 'number') {
      console.error(`subscribe failed: ${err.message}`);
      process.exit(1);
    }
    console.log(`suback ${code}`);
    if (code >= 0x80) {
      process.exit(1);
    }
  });
});
