import AdminProtocol
import Foundation

/// ClusterInfo (key 1): broker id, version, uptime, disk, connections and rates.
enum ClusterInfoHandler {
    static func handle(_ context: RequestContext) -> ClusterInfoResponse {
        let backend = context.backend
        let now = backend.nowMilliseconds()
        let counters = backend.trafficCounters()
        let rates = context.metrics.rates(now: now, counters: counters)
        let topics = backend.listTopics(includeInternal: true)
        var disk = statvfs()
        let haveDisk = statvfs(backend.dataDirectory, &disk) == 0
        let blockSize = Int64(disk.f_frsize)
        return ClusterInfoResponse(
            brokerId: backend.brokerId, brokerVersion: context.config.brokerVersion, startedAtMs: backend.startedAt,
            uptimeMs: now - backend.startedAt, dataDirectory: backend.dataDirectory,
            dataSizeBytes: backend.dataSizeBytes(),
            diskTotalBytes: haveDisk ? Int64(disk.f_blocks) * blockSize : -1,
            diskFreeBytes: haveDisk ? Int64(disk.f_bavail) * blockSize : -1,
            connectionCount: Int32(context.metrics.connectionCount), topicCount: Int32(topics.count),
            partitionCount: topics.reduce(0) { $0 + $1.partitionCount },
            groupCount: Int32(backend.groups.listGroups().count), producedRecords: counters.producedRecords,
            fetchedRecords: counters.fetchedRecords, produceRate: rates.produce, fetchRate: rates.fetch)
    }
}
