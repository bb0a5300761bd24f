// The compatibility scenarios with sarama (Debian's golang-github-shopify-sarama-dev, 1.22), built
// with Debian's Go in GOPATH mode:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o sarama-compat ./Tests/KafkaCompat/sarama
//
// It takes the options of the Python drivers (--bootstrap, --scenario, --prefix, --node-id, --topic,
// --admin-token, --read-only-token, --debug-log, --timeout) and prints the same JSON result, or
// `FAIL <client> <scenario>: ...` on standard error with exit status 1. Standard library and sarama
// only. Sarama 1.22 has no murmur2 partitioner, but takes a custom hash with the Java client's
// absolute value (WithAbsFirst): murmur2 below is Kafka's, checked against KAFKA-FACTS.md's vectors.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash"
	"log"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/Shopify/sarama"
)

const client = "sarama 1.22 (Debian)"

var (
	bootstrap     = flag.String("bootstrap", "", "HOST:PORT of the Kafka listener")
	scenario      = flag.String("scenario", "", "the scenario to run")
	prefix        = flag.String("prefix", "compat", "prefix of the topic names this run creates")
	nodeID        = flag.Int("node-id", 0, "the broker's node id (Skiff: 0)")
	topicFlag     = flag.String("topic", "", "the topic of the dump scenario")
	adminToken    = flag.String("admin-token", "", "password of SASL/PLAIN user admin")
	readOnlyToken = flag.String("read-only-token", "", "password of SASL/PLAIN user read-only")
	debugLog      = flag.String("debug-log", "", "write sarama's log here")
	timeout       = flag.Float64("timeout", 30, "seconds any one wait may take")
)

// ---------------------------------------------------------------------------------------------
// Kafka's murmur2 as a hash.Hash32 for sarama's hash partitioner.

type murmur2 struct{ data []byte }

func newMurmur2() hash.Hash32                  { return &murmur2{} }
func (m *murmur2) Write(p []byte) (int, error) { m.data = append(m.data, p...); return len(p), nil }
func (m *murmur2) Reset()                      { m.data = m.data[:0] }
func (m *murmur2) Size() int                   { return 4 }
func (m *murmur2) BlockSize() int              { return 4 }
func (m *murmur2) Sum(b []byte) []byte {
	s := m.Sum32()
	return append(b, byte(s>>24), byte(s>>16), byte(s>>8), byte(s))
}
func (m *murmur2) Sum32() uint32 { return murmur2Hash(m.data) }

func murmur2Hash(data []byte) uint32 {
	const mix = uint32(0x5bd1e995)
	length := len(data)
	h := uint32(0x9747b28c) ^ uint32(length)
	for i := 0; i+4 <= length; i += 4 {
		k := uint32(data[i]) | uint32(data[i+1])<<8 | uint32(data[i+2])<<16 | uint32(data[i+3])<<24
		k *= mix
		k ^= k >> 24
		k *= mix
		h *= mix
		h ^= k
	}
	tail := length &^ 3
	switch length % 4 {
	case 3:
		h ^= uint32(data[tail+2]) << 16
		fallthrough
	case 2:
		h ^= uint32(data[tail+1]) << 8
		fallthrough
	case 1:
		h ^= uint32(data[tail])
		h *= mix
	}
	h ^= h >> 13
	h *= mix
	h ^= h >> 15
	return h
}

func kafkaPartition(key []byte, n int32) int32 { return int32(murmur2Hash(key)&0x7fffffff) % n }

type vector struct {
	key  []byte
	hash int32
	p3   int32
	p10  int32
}

// KAFKA-FACTS.md's vectors.
var vectors = []vector{
	{[]byte(""), 275646681, 0, 1}, {[]byte("a"), -1563381124, 1, 4}, {[]byte("foo"), 597841616, 2, 6},
	{[]byte("key-0"), 29210041, 1, 1}, {[]byte("key-1"), 193331640, 0, 0},
	{[]byte("hello world"), 1221641059, 1, 9}, {[]byte{0x00, 0xff}, -190448095, 1, 3},
	{[]byte("ü"), 1419834458, 2, 8},
}

// ---------------------------------------------------------------------------------------------
// Checks.

type failure struct{ message string }

var problems []string

func check(ok bool, format string, a ...interface{}) bool {
	if !ok {
		problems = append(problems, fmt.Sprintf(format, a...))
	}
	return ok
}

func require(ok bool, format string, a ...interface{}) {
	if !ok {
		panic(failure{fmt.Sprintf(format, a...)})
	}
}

func must(err error, what string) {
	if err != nil {
		panic(failure{fmt.Sprintf("%s: %v", what, err)})
	}
}

func wait() time.Duration { return time.Duration(*timeout * float64(time.Second)) }

func topicName(what string) string { return *prefix + "-" + what }

// ---------------------------------------------------------------------------------------------
// Records.

type header struct {
	key   string
	value []byte
}

type record struct {
	key, value []byte
	headers    []header
}

type position struct {
	partition int32
	offset    int64
}

// The JSON of compat_common.record_json: []byte encodes as base64, nil as null.
type recordJSON struct {
	Partition int32           `json:"partition"`
	Offset    int64           `json:"offset"`
	Timestamp int64           `json:"timestamp"`
	Key       []byte          `json:"key"`
	Value     []byte          `json:"value"`
	Headers   [][]interface{} `json:"headers"`
}

func toJSON(read map[position]readRecord) []recordJSON {
	out := []recordJSON{}
	for _, pos := range sortedPositions(read) {
		r := read[pos]
		headers := [][]interface{}{}
		for _, h := range r.headers {
			headers = append(headers, []interface{}{h.key, h.value})
		}
		out = append(out, recordJSON{pos.partition, pos.offset, r.timestamp, r.key, r.value, headers})
	}
	return out
}

type readRecord struct {
	record
	timestamp int64
}

func sortedPositions(m map[position]readRecord) []position {
	out := make([]position, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].partition != out[j].partition {
			return out[i].partition < out[j].partition
		}
		return out[i].offset < out[j].offset
	})
	return out
}

func show(b []byte) string {
	if b == nil {
		return "null"
	}
	if len(b) > 40 {
		return fmt.Sprintf("%q... (%d bytes)", b[:40], len(b))
	}
	return fmt.Sprintf("%q", b)
}

func sameBytes(a, b []byte) bool { return (a == nil) == (b == nil) && string(a) == string(b) }

func compareRecords(expected map[position]record, actual map[position]readRecord, what string) {
	var found []string
	for pos, e := range expected {
		a, ok := actual[pos]
		if !ok {
			found = append(found, fmt.Sprintf("record at partition %d offset %d was not read back", pos.partition, pos.offset))
			continue
		}
		if !sameBytes(a.key, e.key) {
			found = append(found, fmt.Sprintf("%v: key %s != produced %s", pos, show(a.key), show(e.key)))
		}
		if !sameBytes(a.value, e.value) {
			found = append(found, fmt.Sprintf("%v: value %s != produced %s", pos, show(a.value), show(e.value)))
		}
		same := len(a.headers) == len(e.headers)
		for i := 0; same && i < len(a.headers); i++ {
			same = a.headers[i].key == e.headers[i].key && sameBytes(a.headers[i].value, e.headers[i].value)
		}
		if !same {
			found = append(found, fmt.Sprintf("%v: headers %v != produced %v", pos, a.headers, e.headers))
		}
	}
	for pos := range actual {
		if _, ok := expected[pos]; !ok {
			found = append(found, fmt.Sprintf("unexpected record at %v", pos))
		}
	}
	sort.Strings(found)
	if len(found) > 10 {
		found = append(found[:10], fmt.Sprintf("and %d more", len(found)-10))
	}
	check(len(found) == 0, "%s: %s", what, strings.Join(found, "; "))
}

var keyedKeys = func() [][]byte {
	keys := [][]byte{}
	for _, v := range vectors {
		keys = append(keys, v.key)
	}
	for i := 2; i < 40; i++ {
		keys = append(keys, []byte(fmt.Sprintf("key-%d", i)))
	}
	return keys
}()

func variedRecords() []record {
	binary := make([]byte, 256)
	for i := range binary {
		binary[i] = byte(i)
	}
	large := make([]byte, 200000)
	for i := range large {
		large[i] = byte((i*31 + 7) % 256)
	}
	return []record{
		{nil, []byte("plain keyless"), nil},
		{nil, binary, []header{{"bin", binary}}},
		{nil, []byte{}, nil},
		{[]byte("tomb"), nil, nil},
		{nil, []byte("ünïcødé ✓ 🚀 漢字"), []header{{"trace", []byte("a1")}, {"trace", []byte("a2")}, {"empty", []byte{}}, {"null", nil}}},
		{[]byte{}, []byte("empty key"), []header{{"h", []byte("v")}}},
		{binary, []byte("binary key"), nil},
		{nil, large, []header{{"size", []byte("200000")}}},
		{[]byte("k"), []byte("v\x00with\nnewline\r\tand nul"), []header{{"été", []byte("✓")}}},
	}
}

func compressibleRecords() []record {
	out := []record{}
	for i := 0; i < 500; i++ {
		value := fmt.Sprintf("record %05d ", i) + strings.Repeat("compressible text ", 20)
		out = append(out, record{nil, []byte(value), []header{{"i", []byte(strconv.Itoa(i))}}})
	}
	return out
}

// ---------------------------------------------------------------------------------------------
// Clients.

func config(user, password string) *sarama.Config {
	c := sarama.NewConfig()
	c.ClientID = "skiff-compat-sarama"
	c.Version = sarama.V2_1_0_0 // record batches and headers need >= 0.11; zstd needs 2.1
	c.Net.DialTimeout = wait()
	c.Net.ReadTimeout = wait()
	c.Net.WriteTimeout = wait()
	c.Metadata.Retry.Max = 10
	c.Metadata.Retry.Backoff = 100 * time.Millisecond
	c.Producer.RequiredAcks = sarama.WaitForAll
	c.Producer.Return.Successes = true
	c.Producer.Return.Errors = true
	c.Producer.MaxMessageBytes = 4 << 20
	c.Producer.Partitioner = sarama.NewCustomPartitioner(sarama.WithAbsFirst(), sarama.WithCustomHashFunction(newMurmur2))
	c.Consumer.Return.Errors = true
	c.Consumer.MaxWaitTime = 100 * time.Millisecond
	c.Admin.Timeout = wait()
	if user != "" {
		c.Net.SASL.Enable = true
		c.Net.SASL.Mechanism = sarama.SASLTypePlaintext
		c.Net.SASL.Handshake = true
		c.Net.SASL.User = user
		c.Net.SASL.Password = password
	}
	return c
}

func addrs() []string { return []string{*bootstrap} }

func newAdmin(user, password string) sarama.ClusterAdmin {
	a, err := sarama.NewClusterAdmin(addrs(), config(user, password))
	must(err, "NewClusterAdmin")
	return a
}

func newClient(user, password string) sarama.Client {
	c, err := sarama.NewClient(addrs(), config(user, password))
	must(err, "NewClient")
	return c
}

func createTopics(admin sarama.ClusterAdmin, topics map[string]int32) {
	for name, partitions := range topics {
		must(admin.CreateTopic(name, &sarama.TopicDetail{NumPartitions: partitions, ReplicationFactor: 1}, false), "CreateTopic "+name)
	}
}

func encoder(b []byte) sarama.Encoder {
	if b == nil {
		return nil
	}
	return sarama.ByteEncoder(b)
}

func message(topic string, r record) *sarama.ProducerMessage {
	m := &sarama.ProducerMessage{Topic: topic, Key: encoder(r.key), Value: encoder(r.value)}
	for _, h := range r.headers {
		m.Headers = append(m.Headers, sarama.RecordHeader{Key: []byte(h.key), Value: h.value})
	}
	return m
}

// produceAll sends `records` in one SendMessages call (partition -1: the partitioner decides).
func produceAll(producer sarama.SyncProducer, topic string, records []record, partition int32, timestamps []time.Time) map[position]record {
	messages := []*sarama.ProducerMessage{}
	for i, r := range records {
		m := message(topic, r)
		if partition >= 0 {
			m.Partition = partition
		}
		if timestamps != nil {
			m.Timestamp = timestamps[i]
		}
		messages = append(messages, m)
	}
	if err := producer.SendMessages(messages); err != nil {
		var errs sarama.ProducerErrors
		if errors.As(err, &errs) && len(errs) > 0 {
			panic(failure{fmt.Sprintf("produce to %s: %d records failed, first: %v", topic, len(errs), errs[0].Err)})
		}
		panic(failure{fmt.Sprintf("produce to %s: %v", topic, err)})
	}
	delivered := map[position]record{}
	for i, m := range messages {
		delivered[position{m.Partition, m.Offset}] = records[i]
	}
	check(len(delivered) == len(records), "distinct (partition, offset) of the delivered records: %d of %d", len(delivered), len(records))
	return delivered
}

func newProducer(user, password string, tune func(*sarama.Config)) sarama.SyncProducer {
	c := config(user, password)
	if partitionerIsManual {
		c.Producer.Partitioner = sarama.NewManualPartitioner
	}
	if tune != nil {
		tune(c)
	}
	p, err := sarama.NewSyncProducer(addrs(), c)
	must(err, "NewSyncProducer")
	return p
}

// Scenarios that write to chosen partitions set this: sarama's hash partitioner would override a
// message's Partition.
var partitionerIsManual = false

// The SASL user of topicConfig's admin client.
var currentUser, currentPassword string

// readBack consumes partitions from their start offsets until `count` records arrived.
func readBack(consumer sarama.Consumer, topic string, starts map[int32]int64, count int, what string) map[position]readRecord {
	got := map[position]readRecord{}
	merged := make(chan *sarama.ConsumerMessage, 1000)
	errs := make(chan error, 10)
	pcs := []sarama.PartitionConsumer{}
	for p, offset := range starts {
		pc, err := consumer.ConsumePartition(topic, p, offset)
		must(err, fmt.Sprintf("%s: ConsumePartition %s-%d at %d", what, topic, p, offset))
		pcs = append(pcs, pc)
		go func(pc sarama.PartitionConsumer) {
			for m := range pc.Messages() {
				merged <- m
			}
		}(pc)
		go func(pc sarama.PartitionConsumer) {
			for e := range pc.Errors() {
				errs <- e
			}
		}(pc)
	}
	defer func() {
		for _, pc := range pcs {
			pc.AsyncClose()
		}
	}()
	deadline := time.After(wait())
	for len(got) < count {
		select {
		case m := <-merged:
			headers := []header{}
			for _, h := range m.Headers {
				headers = append(headers, header{string(h.Key), h.Value})
			}
			got[position{m.Partition, m.Offset}] = readRecord{record{m.Key, m.Value, headers}, m.Timestamp.UnixNano() / 1e6}
		case err := <-errs:
			panic(failure{fmt.Sprintf("%s: consumer error %v", what, err)})
		case <-deadline:
			panic(failure{fmt.Sprintf("%s: %d of %d records arrived within %v", what, len(got), count, wait())})
		}
	}
	return got
}

func newConsumer(user, password string) sarama.Consumer {
	c, err := sarama.NewConsumer(addrs(), config(user, password))
	must(err, "NewConsumer")
	return c
}

func fromEarliest(n int32) map[int32]int64 {
	m := map[int32]int64{}
	for p := int32(0); p < n; p++ {
		m[p] = sarama.OffsetOldest
	}
	return m
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

func scenarioMetadata() map[string]interface{} {
	admin := newAdmin("", "")
	topic := topicName("meta")
	createTopics(admin, map[string]int32{topic: 3})
	// DescribeCluster's controller id comes from a Metadata v0 request (sarama 1.22 sends no
	// version), which has none: the client's Controller() asks Metadata v1+.
	brokers, _, err := admin.DescribeCluster()
	must(err, "DescribeCluster")
	cl := newClient("", "")
	controllerBroker, err := cl.Controller()
	must(err, "client.Controller")
	controller := controllerBroker.ID()
	list := [][]interface{}{}
	for _, b := range brokers {
		list = append(list, []interface{}{b.ID(), b.Addr()})
	}
	check(len(brokers) == 1 && brokers[0].ID() == int32(*nodeID) && brokers[0].Addr() == *bootstrap,
		"Metadata brokers: expected [[%d %s]], got %v", *nodeID, *bootstrap, list)
	check(controller == int32(*nodeID), "controller id: expected %d, got %d", *nodeID, controller)
	metadata, err := admin.DescribeTopics([]string{topic})
	must(err, "DescribeTopics")
	require(len(metadata) == 1 && metadata[0].Name == topic, "DescribeTopics: %v", metadata)
	check(metadata[0].Err == sarama.ErrNoError, "topic error %v", metadata[0].Err)
	check(len(metadata[0].Partitions) == 3, "partitions of %s: %d", topic, len(metadata[0].Partitions))
	for _, p := range metadata[0].Partitions {
		check(p.Err == sarama.ErrNoError, "partition %d error %v", p.ID, p.Err)
		check(p.Leader == int32(*nodeID), "leader of partition %d: %d", p.ID, p.Leader)
		check(len(p.Replicas) == 1 && p.Replicas[0] == int32(*nodeID), "replicas of partition %d: %v", p.ID, p.Replicas)
		check(len(p.Isr) == 1 && p.Isr[0] == int32(*nodeID), "in-sync replicas of partition %d: %v", p.ID, p.Isr)
	}
	partitions, err := cl.Partitions(topic)
	must(err, "client.Partitions")
	check(len(partitions) == 3, "client.Partitions: %v", partitions)
	// Producing to an unknown topic creates it.
	auto := topicName("auto-created")
	produceAll(newProducer("", "", nil), auto, []record{{[]byte("k"), []byte("v"), nil}}, -1, nil)
	autoPartitions, err := cl.Partitions(auto)
	must(err, "partitions of the auto-created topic")
	return map[string]interface{}{"brokers": list, "topic": topic, "autoCreatedPartitions": len(autoPartitions)}
}

func scenarioProduceKeyed() map[string]interface{} {
	admin := newAdmin("", "")
	topics := map[string]int32{topicName("keyed-3"): 3, topicName("keyed-10"): 10}
	createTopics(admin, topics)
	producer := newProducer("", "", nil)
	output := map[string]interface{}{}
	for topic, count := range topics {
		records := []record{}
		for _, k := range keyedKeys {
			records = append(records, record{k, append([]byte("value of "), k...), nil})
		}
		delivered := produceAll(producer, topic, records, -1, nil)
		for pos, r := range delivered {
			check(pos.partition == kafkaPartition(r.key, count), "partition of key %q in %s (%d partitions): expected %d, got %d",
				r.key, topic, count, kafkaPartition(r.key, count), pos.partition)
		}
		read := readBack(newConsumer("", ""), topic, fromEarliest(count), len(records), topic+" read back")
		compareRecords(delivered, read, topic+" read back")
		output[topic] = toJSON(read)
	}
	return map[string]interface{}{"topics": output}
}

func scenarioProduceVaried() map[string]interface{} {
	topic := topicName("varied")
	createTopics(newAdmin("", ""), map[string]int32{topic: 3})
	records := variedRecords()
	delivered := produceAll(newProducer("", "", nil), topic, records, -1, nil)
	read := readBack(newConsumer("", ""), topic, fromEarliest(3), len(records), topic+" read back")
	compareRecords(delivered, read, topic+" read back")
	return map[string]interface{}{"topics": map[string]interface{}{topic: toJSON(read)}}
}

func compressionScenario(name string, codec sarama.CompressionCodec) func() map[string]interface{} {
	return func() map[string]interface{} {
		topic := topicName("compressed-" + name)
		createTopics(newAdmin("", ""), map[string]int32{topic: 1})
		records := compressibleRecords()
		producer := newProducer("", "", func(c *sarama.Config) {
			c.Producer.Compression = codec
			c.Producer.Flush.Frequency = 50 * time.Millisecond
		})
		delivered := produceAll(producer, topic, records, -1, nil)
		read := readBack(newConsumer("", ""), topic, fromEarliest(1), len(records), topic+" read back")
		compareRecords(delivered, read, topic+" read back")
		return map[string]interface{}{"codec": name, "topics": map[string]interface{}{topic: toJSON(read)}}
	}
}

func scenarioConsumePositions() map[string]interface{} {
	topic := topicName("positions")
	createTopics(newAdmin("", ""), map[string]int32{topic: 2})
	base := (time.Now().Add(-time.Hour).UnixNano() / 1e9) * 1000
	at := func(ms int64) time.Time { return time.Unix(0, ms*1e6) }
	partitionerIsManual = true
	producer := newProducer("", "", nil)
	var records0, records1 []record
	var ts0, ts1 []time.Time
	for i := 0; i < 20; i++ {
		records0 = append(records0, record{nil, []byte(fmt.Sprintf("p0-%d", i)), nil})
		ts0 = append(ts0, at(base+int64(i)*1000))
	}
	for i := 0; i < 5; i++ {
		records1 = append(records1, record{nil, []byte(fmt.Sprintf("p1-%d", i)), nil})
		ts1 = append(ts1, at(base+100000+int64(i)*1000))
	}
	delivered := produceAll(producer, topic, records0, 0, ts0)
	for pos, r := range produceAll(producer, topic, records1, 1, ts1) {
		delivered[pos] = r
	}
	cl := newClient("", "")
	offset := func(p int32, t int64) int64 {
		o, err := cl.GetOffset(topic, p, t)
		must(err, fmt.Sprintf("GetOffset(%d, %d)", p, t))
		return o
	}
	check(offset(0, sarama.OffsetOldest) == 0, "ListOffsets earliest of partition 0: %d", offset(0, sarama.OffsetOldest))
	check(offset(0, sarama.OffsetNewest) == 20, "ListOffsets latest of partition 0: %d", offset(0, sarama.OffsetNewest))
	check(offset(1, sarama.OffsetNewest) == 5, "ListOffsets latest of partition 1: %d", offset(1, sarama.OffsetNewest))

	read := readBack(newConsumer("", ""), topic, fromEarliest(2), 25, "from earliest")
	for pos, r := range read {
		expected := base + pos.offset*1000
		if pos.partition == 1 {
			expected += 100000
		}
		check(r.timestamp == expected, "timestamp of partition %d offset %d: expected %d, got %d", pos.partition, pos.offset, expected, r.timestamp)
	}
	compareRecords(delivered, read, "from earliest")

	read = readBack(newConsumer("", ""), topic, map[int32]int64{0: 7}, 13, "from offset 7")
	first := int64(-1)
	for pos := range read {
		if first < 0 || pos.offset < first {
			first = pos.offset
		}
	}
	check(first == 7 && len(read) == 13, "from offset 7: first %d, %d records", first, len(read))

	check(offset(0, base+7500) == 8, "ListOffsets by time base+7500 on partition 0: expected 8, got %d", offset(0, base+7500))
	check(offset(0, base+7000) == 7, "ListOffsets by time at a record's exact timestamp: expected 7, got %d", offset(0, base+7000))
	check(offset(1, base+102000) == 2, "ListOffsets by time on partition 1: expected 2, got %d", offset(1, base+102000))
	beyond := offset(0, time.Now().Add(time.Hour).UnixNano()/1e6)
	check(beyond == -1, "ListOffsets by time after the last record: expected -1, got %d", beyond)

	// Latest: ConsumePartition resolves OffsetNewest at once; then exactly the new record arrives.
	consumer := newConsumer("", "")
	pc, err := consumer.ConsumePartition(topic, 0, sarama.OffsetNewest)
	must(err, "ConsumePartition at OffsetNewest")
	defer pc.AsyncClose()
	select {
	case m := <-pc.Messages():
		check(false, "a record (offset %d) arrived from latest before any new one", m.Offset)
	case <-time.After(300 * time.Millisecond):
	}
	newRecord := produceAll(producer, topic, []record{{nil, []byte("new"), nil}}, 0, nil)
	_, ok := newRecord[position{0, 20}]
	check(ok, "the new record's position: %v", newRecord)
	select {
	case m := <-pc.Messages():
		check(m.Offset == 20 && string(m.Value) == "new", "the record read from latest: offset %d value %q", m.Offset, m.Value)
	case err := <-pc.Errors():
		check(false, "from latest: %v", err)
	case <-time.After(wait()):
		check(false, "from latest: the new record did not arrive")
	}
	return map[string]interface{}{"topic": topic}
}

func strp(s string) *string { return &s }

// kerr is the Kafka error code an admin call failed with (sarama wraps some in *TopicError).
func kerr(err error) sarama.KError {
	switch e := err.(type) {
	case nil:
		return sarama.ErrNoError
	case sarama.KError:
		return e
	case *sarama.TopicError:
		return e.Err
	}
	return -1
}

// topicConfig describes with an admin client of its own: sarama 1.22 sends DescribeConfigs v0, and
// a broker that closes the connection then must not fail the calls after it.
func topicConfig(_ sarama.ClusterAdmin, topic string) map[string]sarama.ConfigEntry {
	admin := newAdmin(currentUser, currentPassword)
	defer admin.Close()
	entries, err := admin.DescribeConfig(sarama.ConfigResource{Type: sarama.TopicResource, Name: topic})
	check(err == nil, "DescribeConfig (DescribeConfigs v0) of %s: %v", topic, err)
	out := map[string]sarama.ConfigEntry{}
	for _, e := range entries {
		out[e.Name] = e
	}
	return out
}

func scenarioAdmin() map[string]interface{} {
	admin := newAdmin("", "")
	topic := topicName("admin")
	must(admin.CreateTopic(topic, &sarama.TopicDetail{NumPartitions: 2, ReplicationFactor: 1,
		ConfigEntries: map[string]*string{"retention.ms": strp("3600000"), "cleanup.policy": strp("delete")}}, false), "CreateTopic")
	err := admin.CreateTopic(topic, &sarama.TopicDetail{NumPartitions: 2, ReplicationFactor: 1}, false)
	check(kerr(err) == sarama.ErrTopicAlreadyExists, "creating %s again: expected %v, got %v", topic, sarama.ErrTopicAlreadyExists, err)
	bad := topicName("bad-config")
	err = admin.CreateTopic(bad, &sarama.TopicDetail{NumPartitions: 1, ReplicationFactor: 1,
		ConfigEntries: map[string]*string{"retention.ms": strp("soon")}}, false)
	check(kerr(err) == sarama.ErrInvalidConfig, "retention.ms=soon: expected %v, got %v", sarama.ErrInvalidConfig, err)
	dry := topicName("validate-only")
	must(admin.CreateTopic(dry, &sarama.TopicDetail{NumPartitions: 1, ReplicationFactor: 1}, true), "CreateTopic validate-only")
	// Listed with Metadata: sarama 1.22's ListTopics also sends DescribeConfigs v0 for every topic,
	// which the DescribeConfig checks below cover.
	cl := newClient("", "")
	listed := func() map[string]bool {
		must(cl.RefreshMetadata(), "RefreshMetadata")
		topics, err := cl.Topics()
		must(err, "Topics")
		set := map[string]bool{}
		for _, t := range topics {
			set[t] = true
		}
		return set
	}
	names := listed()
	check(!names[dry], "a validate-only CreateTopics created the topic")
	check(!names[bad], "a CreateTopics with an invalid config created the topic")
	require(names[topic], "Metadata does not list %s", topic)
	partitions, err := cl.Partitions(topic)
	must(err, "Partitions")
	check(len(partitions) == 2, "partitions of %s: %d", topic, len(partitions))

	configs := topicConfig(admin, topic)
	check(configs["retention.ms"].Value == "3600000", "retention.ms: %+v", configs["retention.ms"])
	// Sarama 1.22's DescribeConfig always sends v0, which has no config source: only IsDefault.
	check(!configs["retention.ms"].Default, "retention.ms set at creation is reported as a default: %+v", configs["retention.ms"])
	check(!configs["retention.ms"].ReadOnly, "retention.ms is reported read-only")
	check(configs["segment.bytes"].Default, "segment.bytes is not reported as a default: %+v", configs["segment.bytes"])

	// AlterConfigs (sarama 1.22 has only the legacy, whole-set API).
	must(admin.AlterConfig(sarama.TopicResource, topic, map[string]*string{"retention.ms": strp("7200000")}, false), "AlterConfig")
	configs = topicConfig(admin, topic)
	check(configs["retention.ms"].Value == "7200000", "retention.ms after AlterConfig: %+v", configs["retention.ms"])
	check(configs["cleanup.policy"].Default, "cleanup.policy after an AlterConfig that left it out: %+v", configs["cleanup.policy"])
	// Sarama 1.22's AlterConfig reports a resource's error only when it carries a message, so the
	// value is checked too.
	err = admin.AlterConfig(sarama.TopicResource, topic, map[string]*string{"retention.ms": strp("soon")}, false)
	check(err != nil, "AlterConfig retention.ms=soon: expected an error (INVALID_CONFIG with a message), got none")
	check(topicConfig(admin, topic)["retention.ms"].Value == "7200000", "retention.ms after a refused AlterConfig: %+v", topicConfig(admin, topic)["retention.ms"])

	must(admin.CreatePartitions(topic, 4, nil, false), "CreatePartitions")
	must(cl.RefreshMetadata(topic), "RefreshMetadata")
	partitions, err = cl.Partitions(topic)
	must(err, "Partitions")
	check(len(partitions) == 4, "partitions after CreatePartitions: %v", partitions)

	partitionerIsManual = true
	records := []record{}
	for i := 0; i < 10; i++ {
		records = append(records, record{nil, []byte(fmt.Sprintf("r%d", i)), nil})
	}
	produceAll(newProducer("", "", nil), topic, records, 0, nil)
	must(admin.DeleteRecords(topic, map[int32]int64{0: 5}), "DeleteRecords")
	low, err := cl.GetOffset(topic, 0, sarama.OffsetOldest)
	must(err, "GetOffset oldest")
	high, err := cl.GetOffset(topic, 0, sarama.OffsetNewest)
	must(err, "GetOffset newest")
	check(low == 5 && high == 10, "watermarks after DeleteRecords: expected (5, 10), got (%d, %d)", low, high)

	brokerAdmin := newAdmin("", "")
	defer brokerAdmin.Close()
	// Sarama 1.22's BrokerResource constant is 5 (an iota slip); Kafka's BROKER resource type is 4.
	brokerConfigs, err := brokerAdmin.DescribeConfig(sarama.ConfigResource{Type: sarama.ConfigResourceType(4), Name: strconv.Itoa(*nodeID)})
	check(err == nil, "DescribeConfig BROKER %d (DescribeConfigs v0): %v", *nodeID, err)

	must(admin.DeleteTopic(topic), "DeleteTopic")
	check(!listed()[topic], "%s still listed after DeleteTopic", topic)
	err = admin.DeleteTopic(topic)
	check(kerr(err) == sarama.ErrUnknownTopicOrPartition, "deleting %s again: expected %v, got %v", topic, sarama.ErrUnknownTopicOrPartition, err)
	return map[string]interface{}{"topic": topic, "brokerConfigs": len(brokerConfigs)}
}

func scenarioDump() map[string]interface{} {
	require(*topicFlag != "", "--topic is required")
	cl := newClient("", "")
	partitions, err := cl.Partitions(*topicFlag)
	must(err, "Partitions "+*topicFlag)
	total := 0
	starts := map[int32]int64{}
	for _, p := range partitions {
		low, err := cl.GetOffset(*topicFlag, p, sarama.OffsetOldest)
		must(err, "GetOffset")
		high, err := cl.GetOffset(*topicFlag, p, sarama.OffsetNewest)
		must(err, "GetOffset")
		total += int(high - low)
		starts[p] = sarama.OffsetOldest
	}
	read := map[position]readRecord{}
	if total > 0 {
		read = readBack(newConsumer("", ""), *topicFlag, starts, total, "dump")
	}
	return map[string]interface{}{"topic": *topicFlag, "records": toJSON(read)}
}

func scenarioSASL() map[string]interface{} {
	require(*adminToken != "" && *readOnlyToken != "", "--admin-token and --read-only-token are required")
	topic := topicName("sasl")
	createTopics(newAdmin("admin", *adminToken), map[string]int32{topic: 1})
	delivered := produceAll(newProducer("admin", *adminToken, nil), topic, []record{{[]byte("k"), []byte("by admin"), nil}}, -1, nil)
	read := readBack(newConsumer("read-only", *readOnlyToken), topic, fromEarliest(1), 1, "read-only consume")
	compareRecords(delivered, read, "read-only consume")

	roProducer := newProducer("read-only", *readOnlyToken, func(c *sarama.Config) { c.Producer.Retry.Max = 0 })
	_, _, err := roProducer.SendMessage(message(topic, record{nil, []byte("by read-only"), nil}))
	check(err == sarama.ErrTopicAuthorizationFailed, "read-only produce: expected %v, got %v", sarama.ErrTopicAuthorizationFailed, err)
	roAdmin := newAdmin("read-only", *readOnlyToken)
	err = roAdmin.CreateTopic(topicName("ro"), &sarama.TopicDetail{NumPartitions: 1, ReplicationFactor: 1}, false)
	check(kerr(err) == sarama.ErrTopicAuthorizationFailed || kerr(err) == sarama.ErrClusterAuthorizationFailed, "read-only CreateTopic: %v", err)
	err = roAdmin.DeleteTopic(topic)
	check(kerr(err) == sarama.ErrTopicAuthorizationFailed, "read-only DeleteTopic: expected %v, got %v", sarama.ErrTopicAuthorizationFailed, err)
	err = roAdmin.AlterConfig(sarama.TopicResource, topic, map[string]*string{"retention.ms": strp("1000")}, false)
	// Sarama 1.22's AlterConfig returns only the resource's error message, not its code.
	check(err != nil, "read-only AlterConfig: expected an error, it succeeded")
	currentUser, currentPassword = "admin", *adminToken
	value := topicConfig(nil, topic)["retention.ms"].Value
	check(value != "1000", "a read-only AlterConfig changed retention.ms to %s", value)
	c := config("admin", "not-the-token")
	c.Metadata.Retry.Max = 0
	_, err = sarama.NewClient(addrs(), c)
	check(err != nil, "a wrong password was accepted")
	return map[string]interface{}{"topic": topic}
}

func main() {
	flag.Parse()
	for _, v := range vectors {
		if int32(murmur2Hash(v.key)) != v.hash || kafkaPartition(v.key, 3) != v.p3 || kafkaPartition(v.key, 10) != v.p10 {
			fmt.Fprintf(os.Stderr, "FAIL %s: murmur2(%q) = %d, expected %d\n", client, v.key, int32(murmur2Hash(v.key)), v.hash)
			os.Exit(2)
		}
	}
	scenarios := map[string]func() map[string]interface{}{
		"metadata":           scenarioMetadata,
		"produce-keyed":      scenarioProduceKeyed,
		"produce-varied":     scenarioProduceVaried,
		"compression-gzip":   compressionScenario("gzip", sarama.CompressionGZIP),
		"compression-snappy": compressionScenario("snappy", sarama.CompressionSnappy),
		"compression-lz4":    compressionScenario("lz4", sarama.CompressionLZ4),
		"compression-zstd":   compressionScenario("zstd", sarama.CompressionZSTD),
		"consume-positions":  scenarioConsumePositions,
		"admin":              scenarioAdmin,
		"dump":               scenarioDump,
		"sasl":               scenarioSASL,
	}
	run, ok := scenarios[*scenario]
	if *bootstrap == "" || !ok {
		names := []string{}
		for name := range scenarios {
			names = append(names, name)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: sarama-compat --bootstrap HOST:PORT --scenario {%s} [options]\n", strings.Join(names, ","))
		os.Exit(2)
	}
	if *debugLog != "" {
		f, err := os.OpenFile(*debugLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err == nil {
			sarama.Logger = log.New(f, "[sarama] ", log.LstdFlags|log.Lmicroseconds)
		}
	}
	started := time.Now()
	result := func() (result map[string]interface{}) {
		defer func() {
			if r := recover(); r != nil {
				if f, ok := r.(failure); ok {
					problems = append(problems, f.message)
				} else {
					problems = append(problems, fmt.Sprintf("unexpected panic: %v", r))
				}
				result = nil
			}
		}()
		return run()
	}()
	if len(problems) > 0 {
		if len(problems) == 1 {
			fmt.Fprintf(os.Stderr, "FAIL %s %s: %s\n", client, *scenario, problems[0])
		} else {
			fmt.Fprintf(os.Stderr, "FAIL %s %s: %d problems:\n", client, *scenario, len(problems))
			for i, p := range problems {
				fmt.Fprintf(os.Stderr, "  %d. %s\n", i+1, p)
			}
		}
		os.Exit(1)
	}
	out := map[string]interface{}{"client": client, "scenario": *scenario, "ok": true, "seconds": time.Since(started).Seconds()}
	for k, v := range result {
		out[k] = v
	}
	data, _ := json.Marshal(out)
	fmt.Println(string(data))
}
