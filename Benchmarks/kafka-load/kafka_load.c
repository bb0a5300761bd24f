/*
 * A Kafka load client on librdkafka, the same binary against every broker scripts/bench_kafka
 * compares (Skiff's Kafka listener, librdkafka's mock cluster, Tansu).
 *
 *   kafka_load produce   --bootstrap HOST:PORT --topic T --count N [--record-size B] [-X key=value]...
 *   kafka_load consume   --bootstrap HOST:PORT --topic T --count N [--record-size B] [-X key=value]...
 *   kafka_load roundtrip --bootstrap HOST:PORT --topic T --count N [--record-size B] [--warmup W]
 *                        [-X key=value]...
 *
 * produce:   N records of B bytes (value only, no key, no headers) to partition 0 as fast as the
 *            producer takes them; per record the latency from the produce() call that queued it to
 *            its delivery report; throughput from the first produce() to the last delivery report.
 * consume:   the N records (offsets 0 .. N-1) of partition 0 from offset 0 (from the log start offset
 *            if the broker has dropped the head of the partition: then only those it still holds) with
 *            the simple (assign-style) consumer, no consumer group; checks every offset and value
 *            size; throughput from the start of the fetch to the last record.
 * roundtrip: one record at a time: produce it, wait for its delivery report, repeat; W round trips
 *            first (default 100) are not counted.
 *
 * Before the clock starts each mode fetches the topic's metadata, so the connection is up and
 * the partition's leader known. -X sets any librdkafka property (acks, linger.ms, ...). Prints one
 * JSON object on stdout; exits 1 on any error (a failed delivery, a missing or unexpected record).
 * `kafka_load version` prints the version of the librdkafka it runs with.
 * Build: gcc -O2 -o kafka_load kafka_load.c -lrdkafka -lm
 */
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define MAX_SETTINGS 64

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what, const char *detail) {
    fprintf(stderr, "kafka_load: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

/* --- options -------------------------------------------------------------------------------- */

static const char *mode, *bootstrap, *topic;
static long long count = -1;
static int record_size = 100;
static int warmup = 100;
static const char *settings[MAX_SETTINGS][2];
static int settings_count;

/* How often, and for how long in all, produce() found the client's queue full and waited for
 * delivery reports: the broker's answers, not the client, were then what set the pace. */
static long long queue_full_waits;
static uint64_t queue_full_ns;

static void usage(void) {
    fprintf(stderr, "usage: kafka_load produce|consume|roundtrip --bootstrap HOST:PORT --topic T --count N "
                    "[--record-size B] [--warmup W] [-X key=value]...\n");
    exit(2);
}

static void parse(int argc, char **argv) {
    if (argc < 2) usage();
    mode = argv[1];
    if (!strcmp(mode, "version") && argc == 2) {
        printf("%s\n", rd_kafka_version_str());
        exit(0);
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--bootstrap")) bootstrap = v;
        else if (!strcmp(a, "--topic")) topic = v;
        else if (!strcmp(a, "--count")) count = atoll(v);
        else if (!strcmp(a, "--record-size")) record_size = atoi(v);
        else if (!strcmp(a, "--warmup")) warmup = atoi(v);
        else if (!strcmp(a, "-X")) {
            const char *eq = strchr(v, '=');
            if (!eq || settings_count == MAX_SETTINGS) usage();
            settings[settings_count][0] = strndup(v, (size_t)(eq - v));
            settings[settings_count][1] = eq + 1;
            settings_count++;
        } else usage();
    }
    if (!bootstrap || !topic || count < 1 || record_size < 0 || warmup < 0) usage();
    if (strcmp(mode, "produce") && strcmp(mode, "consume") && strcmp(mode, "roundtrip")) usage();
}

/* --- results -------------------------------------------------------------------------------- */

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile (nearest rank) of sorted values, in µs. */
static double quantile_us(const uint64_t *sorted, size_t n, double q) {
    size_t rank = (size_t)ceil(q * (double)n);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return (double)sorted[rank - 1] / 1000.0;
}

static void json_string(const char *s) {
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20) printf("\\u%04x", *s);
        else putchar(*s);
    }
    putchar('"');
}

/* The librdkafka properties that decide the figures, as the client ended up with them. */
static const char *reported_keys[] = {
    "acks", "linger.ms", "batch.size", "batch.num.messages", "compression.type", "enable.idempotence",
    "max.in.flight.requests.per.connection", "queue.buffering.max.messages", "queue.buffering.max.kbytes",
    "socket.nagle.disable", "fetch.min.bytes", "fetch.wait.max.ms", "fetch.max.bytes",
    "max.partition.fetch.bytes", "queued.min.messages", "queued.max.messages.kbytes", "check.crcs", NULL};

static void report(rd_kafka_conf_t *conf, uint64_t *latencies, size_t n, long long first_offset,
                   long long records, double seconds, double cpu) {
    printf("{\"mode\": \"%s\", \"librdkafka\": \"%s\", \"records\": %lld, \"recordSize\": %d, "
           "\"firstOffset\": %lld, \"seconds\": %.6f, \"recordsPerSecond\": %.1f, \"mbPerSecond\": %.2f, "
           "\"clientCpuSeconds\": %.3f",
           mode, rd_kafka_version_str(), records, record_size, first_offset, seconds, records / seconds,
           records * (double)record_size / seconds / 1e6, cpu);
    if (n > 0) {
        qsort(latencies, n, sizeof *latencies, compare_u64);
        double sum = 0;
        for (size_t i = 0; i < n; i++) sum += (double)latencies[i];
        printf(", \"latencyMicros\": {\"samples\": %zu, \"mean\": %.1f, \"p50\": %.1f, \"p90\": %.1f, "
               "\"p99\": %.1f, \"p999\": %.1f, \"max\": %.1f}",
               n, sum / (double)n / 1000.0, quantile_us(latencies, n, 0.5), quantile_us(latencies, n, 0.9),
               quantile_us(latencies, n, 0.99), quantile_us(latencies, n, 0.999), quantile_us(latencies, n, 1.0));
    }
    if (strcmp(mode, "consume"))
        printf(", \"queueFullWaits\": %lld, \"queueFullSeconds\": %.3f", queue_full_waits, queue_full_ns / 1e9);
    printf(", \"settings\": {");
    for (int i = 0; i < settings_count; i++) {
        if (i) printf(", ");
        json_string(settings[i][0]);
        printf(": ");
        json_string(settings[i][1]);
    }
    printf("}, \"effective\": {");
    int first = 1;
    for (const char **k = reported_keys; *k; k++) {
        char value[256];
        size_t size = sizeof value;
        if (rd_kafka_conf_get(conf, *k, value, &size) != RD_KAFKA_CONF_OK) {
            const rd_kafka_topic_conf_t *tconf = rd_kafka_conf_get_default_topic_conf(conf);
            size = sizeof value;
            if (!tconf || rd_kafka_topic_conf_get(tconf, *k, value, &size) != RD_KAFKA_CONF_OK) continue;
        }
        printf("%s", first ? "" : ", ");
        first = 0;
        json_string(*k);
        printf(": ");
        json_string(value);
    }
    printf("}}\n");
}

/* --- the client ----------------------------------------------------------------------------- */

static rd_kafka_conf_t *conf_copy;

static rd_kafka_conf_t *make_conf(void) {
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr) ||
        rd_kafka_conf_set(conf, "client.id", "skiff-kafka-load", errstr, sizeof errstr))
        die("configuration", errstr);
    for (int i = 0; i < settings_count; i++) {
        /* Topic-level properties (acks, compression.type, ...) go to the default topic config. */
        if (rd_kafka_conf_set(conf, settings[i][0], settings[i][1], errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
            die(settings[i][0], errstr);
    }
    conf_copy = rd_kafka_conf_dup(conf);
    return conf;
}

/* Waits until the topic's metadata names a leader for partition 0: the connection is then up. */
static void warm_up(rd_kafka_t *rk, rd_kafka_topic_t *rkt) {
    uint64_t deadline = now_ns() + 30ull * 1000000000u;
    for (;;) {
        const struct rd_kafka_metadata *md = NULL;
        rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, 5000);
        int ready = 0;
        const char *why = rd_kafka_err2str(err);
        if (!err && md->topic_cnt == 1) {
            const rd_kafka_metadata_topic_t *t = &md->topics[0];
            why = rd_kafka_err2str(t->err);
            for (int p = 0; !t->err && p < t->partition_cnt; p++)
                if (t->partitions[p].id == 0 && t->partitions[p].leader >= 0 && !t->partitions[p].err) ready = 1;
        }
        if (md) rd_kafka_metadata_destroy(md);
        if (ready) return;
        if (now_ns() > deadline) die("no leader for partition 0 of the topic", why);
        rd_kafka_poll(rk, 100);
    }
}

static uint64_t *sent_at, *latencies;
static long long delivered, failed, last_offset = -1;
static uint64_t last_delivery;
static char first_error[512];

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk;
    (void)opaque;
    uint64_t t = now_ns();
    size_t i = (size_t)(uintptr_t)m->_private;
    if (m->err) {
        if (!failed++) snprintf(first_error, sizeof first_error, "%s", rd_kafka_err2str(m->err));
    } else if (m->offset > last_offset) {
        last_offset = m->offset;
    }
    latencies[i] = t - sent_at[i];
    delivered++;
    last_delivery = t;
}

static rd_kafka_t *new_producer(rd_kafka_topic_t **rkt) {
    char errstr[512];
    rd_kafka_conf_t *conf = make_conf();
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) die("rd_kafka_new", errstr);
    *rkt = rd_kafka_topic_new(rk, topic, NULL);
    if (!*rkt) die("rd_kafka_topic_new", rd_kafka_err2str(rd_kafka_last_error()));
    warm_up(rk, *rkt);
    return rk;
}

static int produce_one(rd_kafka_t *rk, rd_kafka_topic_t *rkt, const char *value, size_t i) {
    for (;;) {
        sent_at[i] = now_ns();
        rd_kafka_resp_err_t err = rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(0),
                                                    RD_KAFKA_V_VALUE((void *)value, (size_t)record_size),
                                                    RD_KAFKA_V_OPAQUE((void *)(uintptr_t)i), RD_KAFKA_V_END);
        if (!err) return 0;
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) die("produce", rd_kafka_err2str(err));
        uint64_t t = now_ns();
        rd_kafka_poll(rk, 1); /* the local queue is full: serve delivery reports, then try again */
        queue_full_waits++;
        queue_full_ns += now_ns() - t;
    }
}

static int run_produce(void) {
    rd_kafka_topic_t *rkt;
    rd_kafka_t *rk = new_producer(&rkt);
    char *value = malloc((size_t)record_size + 1);
    for (int i = 0; i < record_size; i++) value[i] = (char)('a' + i % 26);
    sent_at = calloc((size_t)count, sizeof *sent_at);
    latencies = calloc((size_t)count, sizeof *latencies);
    double cpu0 = cpu_seconds();
    uint64_t start = now_ns();
    for (long long i = 0; i < count; i++) {
        produce_one(rk, rkt, value, (size_t)i);
        if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
    }
    while (delivered < count) {
        rd_kafka_flush(rk, 1000);
        if (now_ns() - last_delivery > 60ull * 1000000000u && now_ns() - start > 60ull * 1000000000u)
            die("produce", "no delivery report for 60 s");
    }
    double seconds = (double)(last_delivery - start) / 1e9, cpu = cpu_seconds() - cpu0;
    if (failed) {
        fprintf(stderr, "kafka_load: %lld of %lld deliveries failed, the first with: %s\n", failed, count,
                first_error);
        return 1;
    }
    report(conf_copy, latencies, (size_t)count, last_offset - count + 1, count, seconds, cpu);
    fprintf(stderr, "kafka_load: last offset %lld\n", last_offset);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    return 0;
}

static int run_roundtrip(void) {
    rd_kafka_topic_t *rkt;
    rd_kafka_t *rk = new_producer(&rkt);
    char *value = malloc((size_t)record_size + 1);
    for (int i = 0; i < record_size; i++) value[i] = (char)('a' + i % 26);
    long long total = count + warmup;
    sent_at = calloc((size_t)total, sizeof *sent_at);
    latencies = calloc((size_t)total, sizeof *latencies);
    double cpu0 = 0;
    uint64_t start = 0;
    for (long long i = 0; i < total; i++) {
        if (i == warmup) {
            cpu0 = cpu_seconds();
            start = now_ns();
        }
        produce_one(rk, rkt, value, (size_t)i);
        uint64_t deadline = now_ns() + 30ull * 1000000000u;
        while (delivered <= i) {
            rd_kafka_poll(rk, 1000);
            if (now_ns() > deadline) die("roundtrip", "no delivery report for 30 s");
        }
    }
    double seconds = (double)(last_delivery - start) / 1e9, cpu = cpu_seconds() - cpu0;
    if (failed) {
        fprintf(stderr, "kafka_load: %lld of %lld deliveries failed, the first with: %s\n", failed, total,
                first_error);
        return 1;
    }
    report(conf_copy, latencies + warmup, (size_t)count, last_offset - count + 1, count, seconds, cpu);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    return 0;
}

struct consumed {
    long long first, expected, received, bad;
    uint64_t last;
};

static void on_record(rd_kafka_message_t *m, void *opaque) {
    struct consumed *c = opaque;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return;
    if (m->err) {
        if (!c->bad++) snprintf(first_error, sizeof first_error, "%s", rd_kafka_message_errstr(m));
        return;
    }
    if (c->received >= c->expected) return;
    if (m->offset != c->first + c->received || m->len != (size_t)record_size) {
        if (!c->bad++)
            snprintf(first_error, sizeof first_error, "offset %" PRId64 " (%zu bytes) where %lld (%d bytes) was expected",
                     m->offset, m->len, c->first + c->received, record_size);
    }
    c->received++;
    c->last = now_ns();
}

static int run_consume(void) {
    char errstr[512];
    rd_kafka_conf_t *conf = make_conf();
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk) die("rd_kafka_new", errstr);
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    if (!rkt) die("rd_kafka_topic_new", rd_kafka_err2str(rd_kafka_last_error()));
    warm_up(rk, rkt);
    /* The partition holds offsets 0 .. N-1 (the produce run's records). A broker that keeps only
     * the tail of a partition (librdkafka's mock cluster keeps the last 5 MiB) is read from its log
     * start offset: "firstOffset" in the output says where reading began, "records" how many. */
    int64_t low = 0, high = -1;
    rd_kafka_resp_err_t werr = rd_kafka_query_watermark_offsets(rk, topic, 0, &low, &high, 10000);
    if (werr) die("ListOffsets (watermarks) of partition 0", rd_kafka_err2str(werr));
    long long first = low > 0 ? low : 0, expected = count - first;
    if (expected < 1) die("consume", "the broker no longer holds any of the records");
    struct consumed c = {.first = first, .expected = expected};
    double cpu0 = cpu_seconds();
    uint64_t start = now_ns();
    c.last = start;
    /* The simple consumer: partition 0 from `first`, fetched directly, no group, no commits. */
    if (rd_kafka_consume_start(rkt, 0, first) == -1)
        die("rd_kafka_consume_start", rd_kafka_err2str(rd_kafka_last_error()));
    while (c.received < expected && !c.bad) {
        /* Serves every record already fetched, waiting up to 100 ms for the first. */
        int got = rd_kafka_consume_callback(rkt, 0, 100, on_record, &c);
        if (got < 0) die("rd_kafka_consume_callback", rd_kafka_err2str(rd_kafka_last_error()));
        if (got == 0 && now_ns() - c.last > 30ull * 1000000000u) die("consume", "no record for 30 s");
    }
    long long received = c.received, bad = c.bad;
    uint64_t last = c.last;
    double seconds = (double)(last - start) / 1e9, cpu = cpu_seconds() - cpu0;
    rd_kafka_consume_stop(rkt, 0);
    if (bad) {
        fprintf(stderr, "kafka_load: consume failed after %lld records: %s\n", received, first_error);
        return 1;
    }
    report(conf_copy, NULL, 0, first, received, seconds, cpu);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    return 0;
}

int main(int argc, char **argv) {
    parse(argc, argv);
    if (!strcmp(mode, "produce")) return run_produce();
    if (!strcmp(mode, "roundtrip")) return run_roundtrip();
    return run_consume();
}
