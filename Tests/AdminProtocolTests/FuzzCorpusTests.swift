import AdminProtocol
import Foundation
import NIOCore
import Testing

/// The seed corpus of the admin frame fuzzer (Fuzz/corpus/AdminFrameFuzzer, see docs/fuzzing.md)
/// and the inputs the fuzzer once crashed on. A fuzz input is one byte choosing the chunk size the
/// rest arrives in (the byte plus one), then a stream of frames. `SKIFF_WRITE_FUZZ_CORPUS=1 swift
/// test --filter FuzzCorpusTests` rewrites the seeds.
struct FuzzCorpusTests {
    static let folder = URL(filePath: #filePath).deletingLastPathComponent()
        .appending(path: "../../Fuzz/corpus/AdminFrameFuzzer").standardized

    static var seeds: [String: [UInt8]] {
        var seeds: [String: [UInt8]] = [:]
        for (index, request) in Samples.requests.enumerated() {
            let frame = requestFrame(request, correlationId: UInt32(index)).bytes
            if frame.count <= 1024 { seeds["request-\(index)-\(request.apiKey)"] = [255] + frame }
        }
        for (index, response) in Samples.responses.enumerated() {
            let frame = responseFrame(response, correlationId: UInt32(index)).bytes
            if frame.count <= 1024 { seeds["response-\(index)-\(response.apiKey)"] = [255] + frame }
        }
        for (index, event) in Samples.events.enumerated() {
            let frame = AdminFrame.encodePush(subscriptionId: 9, event: event).bytes
            if frame.count <= 1024 { seeds["push-\(index)"] = [255] + frame }
        }
        // Version 2 of Fetch and of records pushes: records with their timestamp type.
        let typed = [
            FetchedRecord(
                offset: 3, timestampMs: 1_700_000_000_000, key: [1], value: [2], headers: [],
                timestampType: .logAppendTime),
            FetchedRecord(
                offset: 4, timestampMs: -1, key: nil, value: [], headers: Samples.headers, timestampType: .createTime),
        ]
        let fetch = AdminResponse.fetch(FetchResponse(logStartOffset: 0, highWatermark: 5, records: typed))
        seeds["response-fetch-v2"] =
            [255] + AdminFrame.encodeResponse(correlationId: 5, error: nil, body: fetch, version: 2).bytes
        let records = SubscriptionEvent.records(topic: "orders", partition: 0, highWatermark: 5, records: typed)
        seeds["push-records-v2"] = [255] + AdminFrame.encodePush(subscriptionId: 9, event: records, version: 2).bytes
        let error = AdminFrame.encodeResponse(
            correlationId: 7, error: (.kafkaStorageError, "No space left on device"), body: nil)
        seeds["response-error"] = [255] + error.bytes
        // Several frames arriving 3 bytes at a time.
        let stream = [requestFrame(Samples.requests[0]), error, requestFrame(Samples.requests[1])].flatMap(\.bytes)
        seeds["stream-chunked"] = [2] + stream
        return seeds
    }

    /// Every committed seed holds frames that decode, so the fuzzer starts from deep inside the codec.
    @Test func seedsDecode() throws {
        if ProcessInfo.processInfo.environment["SKIFF_WRITE_FUZZ_CORPUS"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            for (name, bytes) in Self.seeds {
                try Data(bytes).write(to: Self.folder.appending(path: name))
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        #expect(Set(names) == Set(Self.seeds.keys))
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: Self.folder.appending(path: name)))
            #expect(bytes == Self.seeds[name], "\(name) is stale: regenerate the corpus")
            var decoder = AdminFrameDecoder()
            let frames = try decoder.feed(ByteBuffer(bytes: bytes.dropFirst()))
            #expect(!frames.isEmpty && decoder.bufferedBytes == 0, "\(name)")
        }
    }
}
