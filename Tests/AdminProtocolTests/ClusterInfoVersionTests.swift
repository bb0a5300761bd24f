import AdminProtocol
import NIOCore
import Testing

/// ClusterInfo v2 adds the Kafka listener's address; v1 clients get the v1 layout.
struct ClusterInfoVersionTests {
    private func sample() -> ClusterInfoResponse {
        var info = ClusterInfoResponse(
            brokerId: 0, brokerVersion: "0.1.0", startedAtMs: 1, uptimeMs: 2, dataDirectory: "d", dataSizeBytes: 3,
            diskTotalBytes: 4, diskFreeBytes: 5, connectionCount: 6, topicCount: 7, partitionCount: 8, groupCount: 9,
            producedRecords: 10, fetchedRecords: 11, produceRate: 1.5, fetchRate: 2.5)
        info.kafkaListener = "127.0.0.1:9092"
        return info
    }

    @Test func versionTwoCarriesTheKafkaListener() throws {
        #expect(ApiKey.clusterInfo.supportedVersions == 1...2)
        var v2 = ByteBuffer()
        AdminResponse.clusterInfo(sample()).encode(into: &v2, version: 2)
        let decoded = try AdminResponse.decode(apiKey: .clusterInfo, version: 2, body: &v2)
        #expect(decoded == .clusterInfo(sample()))

        var v1 = ByteBuffer()
        AdminResponse.clusterInfo(sample()).encode(into: &v1, version: 1)
        var two = ByteBuffer()
        AdminResponse.clusterInfo(sample()).encode(into: &two, version: 2)
        #expect(two.readableBytes == v1.readableBytes + 2 + "127.0.0.1:9092".utf8.count)
        guard case .clusterInfo(let old) = try AdminResponse.decode(apiKey: .clusterInfo, version: 1, body: &v1) else {
            Issue.record("not a ClusterInfo")
            return
        }
        #expect(old.kafkaListener == "")
        #expect(old.brokerVersion == "0.1.0")
    }
}
