import AdminProtocol
import Foundation

/// A record as one line of JSON: the format of `skiff consume --json` (like kcat's `-J`), of the
/// terminal UI's saved records (`w`, a file of JSON lines) and of its record copy (`y r`). One
/// implementation, so a file saved in the UI reads like the CLI's output.
///
/// ```json
/// {"headers":[{"key":"trace","value":"a1"}],"key":"AAPL","offset":1995,"partition":1,"timestamp":1764666300123,"timestampType":"CreateTime","topic":"prices","value":"price 1995"}
/// ```
///
/// Keys are sorted. `timestampType` is `CreateTime` or `LogAppendTime` (the topic's
/// `message.timestamp.type` when the record was appended), left out when the broker did not say
/// (one that only speaks version 1 of Fetch, Subscribe and Search). A key, value or header value that is not UTF-8 is base64 with
/// `keyEncoding`/`valueEncoding` set to `"base64"` beside it; a null one is left out (so
/// `"value"` missing is a tombstone).
public struct RecordJSON: Encodable, Sendable {
    /// A header of the record.
    public struct Header: Encodable, Sendable {
        /// The header's name.
        public var key: String
        /// The value as text (or base64); nil for a null value.
        public var value: String?
        /// `base64` when ``value`` is base64.
        public var valueEncoding: String?
    }

    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The offset.
    public var offset: Int64
    /// The timestamp, milliseconds since the epoch.
    public var timestamp: Int64
    /// What the timestamp is, `CreateTime` or `LogAppendTime`; nil when the broker did not say.
    public var timestampType: String?
    /// The key as text (or base64); nil for a null key.
    public var key: String?
    /// `base64` when ``key`` is base64.
    public var keyEncoding: String?
    /// The value as text (or base64); nil for a null value.
    public var value: String?
    /// `base64` when ``value`` is base64.
    public var valueEncoding: String?
    /// The headers, in order.
    public var headers: [Header]

    /// The JSON form of `record` of `topic`'s `partition`.
    public init(topic: String, partition: Int32, record: FetchedRecord) {
        self.topic = topic
        self.partition = partition
        offset = record.offset
        timestamp = record.timestampMs
        timestampType = record.timestampType?.description
        (key, keyEncoding) = Self.text(record.key)
        (value, valueEncoding) = Self.text(record.value)
        headers = record.headers.map {
            let (value, encoding) = Self.text($0.value)
            return Header(key: $0.key, value: value, valueEncoding: encoding)
        }
    }

    /// The record as one line of JSON, without the line feed.
    public static func line(topic: String, partition: Int32, record: FetchedRecord) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, numbers and arrays of them always encode.
        let data = (try? encoder.encode(RecordJSON(topic: topic, partition: partition, record: record))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Bytes as JSON text: the string when they are UTF-8, else base64 and its encoding's name.
    static func text(_ bytes: [UInt8]?) -> (String?, String?) {
        guard let bytes else { return (nil, nil) }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, nil) }
        return (Data(bytes).base64EncodedString(), "base64")
    }
}
