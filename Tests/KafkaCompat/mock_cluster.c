/* librdkafka's mock cluster (rdkafka_mock.h) on 127.0.0.1, for checking the kcat driver against a
 * broker nobody here wrote: `mock_cluster [TOPIC:PARTITIONS ...]` prints `bootstrap HOST:PORT` and
 * serves until its standard input closes. Build: cc mock_cluster.c -lrdkafka -o mock_cluster */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    char error[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!rk) {
        fprintf(stderr, "mock_cluster: %s\n", error);
        return 1;
    }
    rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, 1);
    if (!cluster) {
        fprintf(stderr, "mock_cluster: cannot create the mock cluster\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        char *colon = strrchr(argv[i], ':');
        if (!colon) {
            fprintf(stderr, "mock_cluster: expected TOPIC:PARTITIONS, got %s\n", argv[i]);
            return 2;
        }
        *colon = '\0';
        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, argv[i], atoi(colon + 1), 1);
        if (err) {
            fprintf(stderr, "mock_cluster: topic %s: %s\n", argv[i], rd_kafka_err2str(err));
            return 1;
        }
    }
    printf("bootstrap %s\n", rd_kafka_mock_cluster_bootstraps(cluster));
    fflush(stdout);
    while (getchar() != EOF) {
    }
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(rk);
    return 0;
}
