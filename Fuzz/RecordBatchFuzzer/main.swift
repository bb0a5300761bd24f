// libFuzzer entry point for the record batch decoder (scripts/fuzz builds it together with the
// BrokerCore sources it needs, so internal helpers are visible). Arbitrary bytes must produce a
// value or a thrown BrokerError; a trap or a sanitizer report is a bug.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    bytes.withUnsafeBytes { raw in
        // The header alone, on any prefix.
        guard let header = try? RecordBatchHeader(parsing: raw) else { return }
        _ = header.lastOffset
        _ = header.compression
        _ = header.timestampType
        // The header walks of the log, which run without a CRC check (recovery reads the CRC
        // separately): they must bounds-check every record even when the CRC is wrong.
        guard header.totalSize == raw.count else { return }
        try? RecordBatchDecoder.validateRecords(in: raw, header: header)
        _ = try? RecordBatchDecoder.firstOffset(
            in: raw, header: header, timestampAtLeast: Int64.min, offsetAtLeast: Int64.min)
        var records: [Record] = []
        var budget = 1024
        _ = try? RecordBatchDecoder.decodeRecords(
            in: raw, header: header, from: header.baseOffset, maxRecords: 3, byteBudget: &budget, into: &records)
    }
    // The full public paths: the append check of a client's batch (decompressing compressed
    // records), and validate (length and CRC) then decode every record.
    _ = try? RecordBatchDecoder.validateClientBatch(bytes)
    if let records = try? RecordBatchDecoder.decode(bytes) {
        _ = records.count
    }
    return 0
}
