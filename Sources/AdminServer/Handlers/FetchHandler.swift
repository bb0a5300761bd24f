import AdminProtocol
import BrokerCore

/// Fetch (key 9): records of one partition from an offset, a timestamp, earliest, latest or
/// the last N, with the partition's watermarks.
///
/// `maxBytes` is Kafka's fetch `max_bytes`: the first record is returned even when it alone is
/// larger (so 0 returns just that record), the records after it only while the total stays within
/// it, and a value above ``maxBytesCap(_:)`` is lowered to the cap, as a Kafka broker lowers a
/// request's max_bytes to its `fetch.max.bytes`.
enum FetchHandler {
    /// The most record bytes one Fetch returns: half the frame limit, leaving room for the wire
    /// form of the records (a few dozen bytes each beyond their stored size, up to `maxRecords`).
    static func maxBytesCap(_ config: AdminServerConfig) -> Int32 { Int32(clamping: config.maxFrameBytes / 2) }

    static func handle(_ request: FetchRequest, _ context: RequestContext) throws(HandlerError) -> FetchResponse {
        try context.require(request.maxRecords, in: 1...Int32(context.config.maxFetchRecords), "maxRecords")
        guard request.maxBytes >= 0 else {
            throw HandlerError(.invalidRequest, "maxBytes must be 0 or more, got \(request.maxBytes)")
        }
        let maxBytes = min(request.maxBytes, maxBytesCap(context.config))
        let tp = TopicPartition(topic: request.topic, partition: request.partition)
        let backend = context.backend
        let result = try context.call { () throws(BrokerError) -> FetchResult in
            let start: Int64
            switch request.start {
            case .offset(let offset): start = offset
            case .timestamp(let time): start = try backend.offset(tp, for: .timestamp(time))
            case .earliest: start = try backend.offset(tp, for: .earliest)
            case .latest: start = try backend.offset(tp, for: .latest)
            case .lastN(let n):
                guard n >= 0 else { throw .invalidRequest("last N needs N >= 0, got \(n)") }
                let low = try backend.offset(tp, for: .earliest)
                let high = try backend.offset(tp, for: .latest)
                start = max(low, high - n)
            }
            return try backend.fetch(
                tp, from: start, maxRecords: Int(request.maxRecords), maxBytes: Int(maxBytes))
        }
        return FetchResponse(
            logStartOffset: result.logStartOffset, highWatermark: result.highWatermark,
            records: result.records.map(FetchedRecord.init))
    }
}

extension FetchedRecord {
    /// The wire form of a stored record (its timestamp type is written from version 2 on).
    init(_ r: Record) {
        self.init(
            offset: r.offset, timestampMs: r.timestamp, key: r.key, value: r.value,
            headers: r.headers.map { HeaderData(key: $0.key, value: $0.value) },
            timestampType: RecordTimestampType(r.timestampType))
    }
}

extension RecordTimestampType {
    /// The wire form of a record's timestamp type.
    init(_ type: TimestampType) {
        switch type {
        case .createTime: self = .createTime
        case .logAppendTime: self = .logAppendTime
        }
    }
}
