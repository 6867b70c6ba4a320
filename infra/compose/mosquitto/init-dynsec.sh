#!/bin/sh
# The compose mosquitto's command: on the first start (empty data volume) creates the
# dynamic-security plugin's file holding the admin identity from the environment, then runs the
# broker. The IoT hub creates its own identity, the gateway's and the devices' through this admin.
set -eu
file=/mosquitto/data/dynamic-security.json
if [ ! -f "$file" ]; then
  : "${MQTT_ADMIN_USERNAME:?set MQTT_ADMIN_USERNAME}" "${MQTT_ADMIN_PASSWORD:?set MQTT_ADMIN_PASSWORD}"
  mosquitto_ctrl dynsec init "$file" "$MQTT_ADMIN_USERNAME" "$MQTT_ADMIN_PASSWORD" >/dev/null
  chown mosquitto:mosquitto "$file"
fi
exec /usr/sbin/mosquitto -c /mosquitto/config/mosquitto.conf
