/*
 * librdkafka's mock cluster as a stand-alone Kafka-compatible broker, for scripts/bench_kafka.
 *
 *   kafka_mock [TOPIC:PARTITIONS ...]
 *
 * Starts a mock cluster of one broker (librdkafka's rdkafka_mock.h: an in-memory broker inside
 * the library, listening on 127.0.0.1 on a free port), creates the given topics (replication
 * factor 1), prints its bootstrap address ("127.0.0.1:PORT") on a line of its own and runs until
 * SIGTERM or SIGINT. Build: gcc -O2 -o kafka_mock kafka_mock.c -lrdkafka
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    char errstr[512];
    sigset_t set;
    int sig;

    /* Block the signals before librdkafka starts its threads, so that only sigwait sees them. */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "kafka_mock: %s\n", errstr);
        return 1;
    }
    /* The handle only does the cluster's book-keeping; it never connects anywhere itself. */
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        fprintf(stderr, "kafka_mock: rd_kafka_new: %s\n", errstr);
        return 1;
    }
    rd_kafka_mock_cluster_t *mcluster = rd_kafka_mock_cluster_new(rk, 1);
    if (!mcluster) {
        fprintf(stderr, "kafka_mock: rd_kafka_mock_cluster_new failed\n");
        rd_kafka_destroy(rk);
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        char *name = strdup(argv[i]);
        char *colon = strrchr(name, ':');
        int partitions = 1;
        if (colon) {
            *colon = '\0';
            partitions = atoi(colon + 1);
        }
        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mcluster, name, partitions, 1);
        if (err) {
            fprintf(stderr, "kafka_mock: creating %s: %s\n", name, rd_kafka_err2str(err));
            free(name);
            rd_kafka_mock_cluster_destroy(mcluster);
            rd_kafka_destroy(rk);
            return 1;
        }
        free(name);
    }
    printf("%s\n", rd_kafka_mock_cluster_bootstraps(mcluster));
    fflush(stdout);

    sigwait(&set, &sig);

    rd_kafka_mock_cluster_destroy(mcluster);
    rd_kafka_destroy(rk);
    return 0;
}
