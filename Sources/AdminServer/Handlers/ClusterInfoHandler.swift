import AdminProtocol
import BrokerCore

/// ClusterInfo (key 1): broker id, version, uptime, disk, connections and rates.
enum ClusterInfoHandler {
    static func handle(_ context: RequestContext) -> ClusterInfoResponse {
        let backend = context.backend
        let now = backend.nowMilliseconds()
        let counters = backend.trafficCounters()
        let rates = context.metrics.rates(now: now, counters: counters)
        let counts = backend.counts()
        let disk = backend.diskSpace()
        var response = ClusterInfoResponse(
            brokerId: backend.brokerId, brokerVersion: context.config.brokerVersion, startedAtMs: backend.startedAt,
            uptimeMs: now - backend.startedAt, dataDirectory: backend.dataDirectory,
            dataSizeBytes: backend.dataSizeBytes(), diskTotalBytes: disk?.totalBytes ?? -1,
            diskFreeBytes: disk?.freeBytes ?? -1, connectionCount: Int32(context.metrics.connectionCount),
            topicCount: Int32(clamping: counts.topics), partitionCount: Int32(clamping: counts.partitions),
            groupCount: Int32(clamping: counts.groups), producedRecords: counters.producedRecords,
            fetchedRecords: counters.fetchedRecords, produceRate: rates.produce, fetchRate: rates.fetch)
        response.kafkaListener = context.kafkaListener ?? ""
        return response
    }
}
