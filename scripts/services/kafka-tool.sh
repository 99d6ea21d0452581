#!/usr/bin/env bash
# Run a Kafka command-line tool against the local broker, with the jars that
# up.sh installed (there are no kafka-*.sh scripts in a Maven install).
#
#   scripts/services/kafka-tool.sh topics --list
#   scripts/services/kafka-tool.sh topics --create --topic t --partitions 3
#   echo hi | scripts/services/kafka-tool.sh console-producer --topic t
#   scripts/services/kafka-tool.sh console-consumer --topic t --from-beginning --max-messages 1
#   scripts/services/kafka-tool.sh consumer-groups --describe --all-groups
#   scripts/services/kafka-tool.sh configs --describe --entity-type topics --entity-name t
#   scripts/services/kafka-tool.sh org.apache.kafka.tools.GetOffsetShell --bootstrap-server 127.0.0.1:9092 --topic t
#
# Short names get --bootstrap-server 127.0.0.1:$KAFKA_PORT added.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($#)) || die "usage: $0 topics|console-producer|console-consumer|consumer-groups|configs|CLASS [args...]"
kafka_installed || die "kafka is not installed; run scripts/services/up.sh kafka"

tool=$1
shift
bootstrap=(--bootstrap-server "$SERVICES_HOST:$KAFKA_PORT")
case "$tool" in
  topics) class=org.apache.kafka.tools.TopicCommand ;;
  console-producer) class=kafka.tools.ConsoleProducer ;;
  console-consumer) class=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  consumer-groups) class=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  configs) class=kafka.admin.ConfigCommand ;;
  *)
    class=$tool
    bootstrap=()
    ;;
esac

[[ -f $KAFKA_HOME_DIR/config/tools-log4j.properties ]] || kafka_write_config
exec "$KAFKA_JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -cp "$KAFKA_LIBS/*" \
  "-Dlog4j.configuration=file:$KAFKA_HOME_DIR/config/tools-log4j.properties" \
  "$class" "${bootstrap[@]}" "$@"
