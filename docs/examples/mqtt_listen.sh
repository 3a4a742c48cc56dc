#!/bin/sh
# Prints each event the VMS's rules publish to MQTT: the topic
# (<prefix>/<site id>/<node id>/<camera id>/<event type>[/<suffix>]) and the
# event as JSON, one per line. Extra arguments go to mosquitto_sub
# (e.g. `-C 1` to stop after one event).
#
# Environment: MQTT_HOST (localhost), MQTT_PORT (1883), MQTT_USER,
# MQTT_PASSWORD, MQTT_TOPIC (vms/+/+/+/+/#: every event, not availability).
# Needs mosquitto_sub (Debian's mosquitto-clients).
set -eu
exec mosquitto_sub -h "${MQTT_HOST:-localhost}" -p "${MQTT_PORT:-1883}" \
  -u "${MQTT_USER:?set MQTT_USER}" -P "${MQTT_PASSWORD:?set MQTT_PASSWORD}" \
  -q 1 -v -t "${MQTT_TOPIC:-vms/+/+/+/+/#}" "$@"
