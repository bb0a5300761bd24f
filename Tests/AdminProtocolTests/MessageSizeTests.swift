import NIOCore
import Testing

@testable import AdminProtocol

struct MessageSizeTests {
    /// Encodes the smallest possible value of an element type.
    static func size(of value: some WireElement) -> Int {
        var buffer = ByteBuffer()
        value.encode(into: &buffer)
        return buffer.readableBytes
    }

    /// Each array element type's minimumWireSize is exactly the size of its smallest encoding.
    @Test func minimumWireSizes() {
        #expect(Self.size(of: "") == String.minimumWireSize)
        #expect(Self.size(of: Int32(0)) == Int32.minimumWireSize)
        #expect(Self.size(of: HeaderData(key: "", value: nil)) == HeaderData.minimumWireSize)
        #expect(Self.size(of: TopicPartitionRef(topic: "", partition: 0)) == TopicPartitionRef.minimumWireSize)
        #expect(Self.size(of: ConfigPair(key: "", value: "")) == ConfigPair.minimumWireSize)
        #expect(
            Self.size(of: FetchedRecord(offset: 0, timestampMs: 0, key: nil, value: nil, headers: []))
                == FetchedRecord.minimumWireSize)
        #expect(
            Self.size(
                of: GroupPartitionInfo(
                    topic: "", partition: 0, committedOffset: 0, logStartOffset: 0, highWatermark: 0, lag: 0,
                    timeLagMs: 0, memberId: "", commitTimestampMs: 0, metadata: ""))
                == GroupPartitionInfo.minimumWireSize)
        #expect(
            Self.size(of: ApiVersionRange(apiKey: 0, minVersion: 0, maxVersion: 0)) == ApiVersionRange.minimumWireSize)
        #expect(
            Self.size(
                of: TopicListing(
                    name: "", partitionCount: 0, messageCount: 0, sizeBytes: 0, lastWriteTimeMs: 0, isInternal: false,
                    consumerGroups: [])) == TopicListing.minimumWireSize)
        #expect(Self.size(of: ConfigEntry(key: "", value: "", isDefault: false)) == ConfigEntry.minimumWireSize)
        #expect(
            Self.size(
                of: PartitionInfo(
                    partition: 0, leader: 0, replicas: [], inSyncReplicas: [], logStartOffset: 0, highWatermark: 0,
                    sizeBytes: 0, firstTimestampMs: 0, lastTimestampMs: 0)) == PartitionInfo.minimumWireSize)
        #expect(Self.size(of: TopicGroupLag(groupId: "", state: "", lag: 0)) == TopicGroupLag.minimumWireSize)
        #expect(Self.size(of: ProduceRecord(key: nil, value: nil)) == ProduceRecord.minimumWireSize)
        #expect(
            Self.size(of: ProducedOffset(partition: 0, offset: 0, timestampMs: 0)) == ProducedOffset.minimumWireSize)
        #expect(
            Self.size(of: GroupListing(groupId: "", state: "", memberCount: 0, topics: [], totalLag: 0))
                == GroupListing.minimumWireSize)
        #expect(
            Self.size(
                of: GroupMemberInfo(
                    memberId: "", clientId: "", clientHost: "", sessionTimeoutMs: 0, subscribedTopics: [],
                    assignment: [], lastHeartbeatMs: 0)) == GroupMemberInfo.minimumWireSize)
        #expect(
            Self.size(of: OffsetResetInfo(topic: "", partition: 0, oldOffset: 0, newOffset: 0))
                == OffsetResetInfo.minimumWireSize)
        #expect(Self.size(of: CommitOffset(topic: "", partition: 0, offset: 0)) == CommitOffset.minimumWireSize)
        #expect(
            Self.size(of: CommittedOffsetInfo(topic: "", partition: 0, offset: 0, metadata: "", commitTimestampMs: 0))
                == CommittedOffsetInfo.minimumWireSize)
        #expect(Self.size(of: SubscribePartition(topic: "", partition: 0)) == SubscribePartition.minimumWireSize)
    }

    /// The capacity estimates used on the Produce/Fetch paths equal the real encoded sizes.
    @Test func wireSizeEstimates() {
        for record in Samples.fetchedRecords { #expect(record.wireSize == Self.size(of: record)) }
        let produce = ProduceRecord(partition: 1, key: [1, 2], value: nil, headers: Samples.headers, timestampMs: 5)
        #expect(produce.wireSize == Self.size(of: produce))
    }
}
