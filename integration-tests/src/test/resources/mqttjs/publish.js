// Publishes one message with MQTT.js (npm package "mqtt", found through NODE_PATH) and exits
// 0 once it is acknowledged (QoS 1/2) or written (QoS 0); 1 on an error, 2 on a timeout.
// Usage: node publish.js <url> <clientId> <protocolVersion 4|5> <topic> <qos> <payload>
//        [<userPropertyName> <userPropertyValue> <contentType>]   (MQTT 5 only)
'use strict';
const mqtt = require('mqtt');

const [url, clientId, version, topic, qos, payload, propName, propValue, contentType] =
  process.argv.slice(2);
const protocolVersion = Number(version);
const timer = setTimeout(() => {
  console.error('timed out');
  process.exit(2);
}, 20000);

const client = mqtt.connect(url, {
  clientId,
  protocolVersion,
  clean: true,
  reconnectPeriod: 0,
  connectTimeout: 10000,
});
client.on('error', (e) => {
  console.error(`error: ${e.message}`);
  process.exit(1);
});
client.on('connect', () => {
  const options = { qos: Number(qos) };
  if (protocolVersion === 5 && propName) {
    options.properties = { userProperties: { [propName]: propValue }, contentType };
  }
  client.publish(topic, payload, options, (err) => {
    if (err) {
      console.error(`publish failed: ${err.message}`);
      process.exit(1);
    }
    client.end(false, () => {
      clearTimeout(timer);
      process.exit(0);
    });
  });
});
