import AdminProtocol
import BrokerCore

/// DescribeStorage (key 22): the storage's notices, open segment files and disk reserve.
enum DescribeStorageHandler {
    static func handle(_ context: RequestContext) -> DescribeStorageResponse {
        let status = context.backend.storageStatus
        return DescribeStorageResponse(
            openSegmentFiles: Int32(clamping: status.segmentFiles.openFiles),
            segmentFileLimit: Int32(clamping: status.segmentFiles.capacity),
            openFileLimit: status.openFileLimit.map { Int32(clamping: $0) } ?? -1,
            segmentFileOpens: Int64(status.segmentFiles.opens),
            segmentFileEvictions: Int64(status.segmentFiles.evictions),
            diskReserveBytes: status.diskReserveBytes, diskReserveHeld: status.diskReserveHeld,
            notices: status.notices.map {
                StorageNoticeInfo(kind: $0.kind.rawValue, path: $0.path, message: $0.message, timeMs: $0.time)
            })
    }
}
