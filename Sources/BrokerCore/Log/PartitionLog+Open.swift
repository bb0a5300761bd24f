import Logging

extension PartitionLog {
    /// Opens (or creates) the log of `topicPartition` in `<dataDirectory>/<topic>-<partition>`.
    ///
    /// After a clean shutdown (`cleanShutdown`, from the broker's marker) the segments and their
    /// indexes are trusted; an index that is missing or fails its checks (size a multiple of the
    /// entry size, increasing entries, last entry matching its batch) is rebuilt from the log.
    ///
    /// After an unclean shutdown every batch from the segment holding the recovery point on is
    /// re-read and checked (length, magic, CRC, contiguous offsets), the indexes of those segments
    /// are rebuilt, and the log is cut at the first invalid batch: the rest of that segment and all
    /// later segments are deleted. A batch that was complete on disk is never lost; a torn one is.
    /// Recovered segments before the active one are fsynced; the active one is not (as in Kafka):
    /// the recovery point stays at or below its checked batches until the next flush.
    ///
    /// Also removes leftovers of interrupted operations (temporary files, index files without a
    /// log, segments below the log start offset).
    public static func open(
        dataDirectory: String, topicPartition: TopicPartition, config: LogConfig,
        clock: any BrokerClock = SystemClock(), io: any StorageIO = PosixStorageIO(), cleanShutdown: Bool,
        logger: Logger
    ) throws(BrokerError) -> PartitionLog {
        var logger = logger
        logger[metadataKey: "topic.name"] = "\(topicPartition.topic)"
        logger[metadataKey: "partition.id"] = "\(topicPartition.partition)"
        let directory = dataDirectory + "/" + topicPartition.description
        let now = clock.nowMilliseconds()

        let isNew = !io.fileExists(directory)
        try io.createDirectory(directory)
        if isNew { try io.syncDirectory(dataDirectory) }

        let names = try io.contentsOfDirectory(directory)
        for name in names where name.hasSuffix(".tmp") {
            try io.removeFile(directory + "/" + name)
        }
        let logBases = Set(names.compactMap { LogSegment.baseOffset(fileName: $0, suffix: LogSegment.logSuffix) })
        for name in names {
            for suffix in [LogSegment.offsetIndexSuffix, LogSegment.timeIndexSuffix] {
                if let base = LogSegment.baseOffset(fileName: name, suffix: suffix), !logBases.contains(base) {
                    logger.info("removing \(name), an index without its log")
                    try io.removeFile(directory + "/" + name)
                }
            }
        }
        let recoveryCheckpoint = try readCheckpoint(
            recoveryPointFileName, directory: directory, topicPartition: topicPartition, io: io, logger: logger)
        let startCheckpoint = try readCheckpoint(
            logStartOffsetFileName, directory: directory, topicPartition: topicPartition, io: io, logger: logger)

        var segments: [LogSegment] = []
        for base in logBases.sorted() {
            segments.append(try LogSegment.open(in: directory, baseOffset: base, io: io, now: now))
        }
        // Segments whose files were rebuilt and must be flushed before the log is used.
        var recovered: [LogSegment] = []
        if segments.isEmpty {
            segments = [try LogSegment.create(in: directory, baseOffset: startCheckpoint ?? 0, io: io, now: now)]
            try io.syncDirectory(directory)
        } else {
            var firstToRecover = segments.count
            if !cleanShutdown {
                firstToRecover = recoveryCheckpoint.map { segmentIndex(in: segments, for: $0) } ?? 0
                logger.info(
                    "recovering after an unclean shutdown from segment \(segments[firstToRecover].baseOffset) (recovery point \(recoveryCheckpoint.map(String.init) ?? "unknown"))"
                )
            }
            var index = 0
            while index < segments.count {
                let segment = segments[index]
                var result: LogSegment.RecoveryResult?
                if index >= firstToRecover {
                    result = try segment.recover(indexIntervalBytes: config.indexIntervalBytes)
                } else if let problem = try segment.loadIndexes() {
                    logger.warning("rebuilding the indexes of segment \(segment.baseOffset): \(problem)")
                    result = try segment.recover(indexIntervalBytes: config.indexIntervalBytes)
                }
                if let result {
                    recovered.append(segment)
                    if result.truncatedBytes > 0 {
                        logger.warning(
                            "cut \(result.truncatedBytes) bytes from the end of \(segment.log.displayName): \(result.problem ?? "invalid data")"
                        )
                        if index >= firstToRecover && index < segments.count - 1 {
                            let later = segments[(index + 1)...]
                            for laterSegment in later { try laterSegment.deleteFiles() }
                            logger.warning("deleted \(later.count) segment(s) after the first invalid batch")
                            segments.removeLast(later.count)
                        }
                    }
                }
                index += 1
            }
        }

        var logEndOffset = segments[segments.count - 1].nextOffset
        let firstBase = segments[0].baseOffset
        let logStartOffset = max(startCheckpoint ?? firstBase, firstBase)
        if logStartOffset > logEndOffset {
            logger.warning(
                "the log start offset \(logStartOffset) is past the recovered end \(logEndOffset); the log restarts empty at \(logStartOffset)"
            )
            for segment in segments { try segment.deleteFiles() }
            segments = [try LogSegment.create(in: directory, baseOffset: logStartOffset, io: io, now: now)]
            recovered = []
            try io.syncDirectory(directory)
            logEndOffset = logStartOffset
        }
        // Segments entirely below the log start offset (a crash between checkpoint and delete).
        while segments.count > 1 && segments[0].nextOffset <= logStartOffset {
            let segment = segments.removeFirst()
            recovered.removeAll { $0 === segment }
            try segment.deleteFiles()
        }
        // Like Kafka, recovery does not fsync the active segment: its batches were checked, and
        // the recovery point stays where it was, so a second crash checks them again. Waiting for
        // a gigabyte of page cache to reach the disk doubled the time to serve after `kill -9`.
        // Older segments are fsynced now, so "every segment but the active one is on disk" holds
        // as it does after a roll.
        let active = segments[segments.count - 1]
        for segment in recovered where segment !== active { try segment.flush(includingIndexes: true) }
        var recoveryPoint = logEndOffset
        if recovered.contains(where: { $0 === active }) {
            recoveryPoint = min(max(recoveryCheckpoint ?? active.baseOffset, active.baseOffset), logEndOffset)
        }

        var lastAppendTime: Int64?
        if logEndOffset > logStartOffset, let newest = segments.last(where: { $0.size > 0 }) {
            lastAppendTime = try io.modificationTime(of: newest.log)
        }
        if recoveryCheckpoint != recoveryPoint {
            try writeCheckpoint(
                recoveryPointFileName, recoveryPoint, directory: directory, topicPartition: topicPartition, io: io)
        }
        if startCheckpoint != logStartOffset {
            try writeCheckpoint(
                logStartOffsetFileName, logStartOffset, directory: directory, topicPartition: topicPartition, io: io)
        }
        var state = State(
            config: config, segments: segments, logStartOffset: logStartOffset, logEndOffset: logEndOffset,
            recoveryPoint: recoveryPoint, checkpointedRecoveryPoint: recoveryPoint,
            checkpointedLogStartOffset: logStartOffset, lastFlushTime: now, lastAppendTime: lastAppendTime)
        // The recovered, unflushed records count towards flush.messages and flush.ms like appended ones.
        state.unflushedMessages = logEndOffset - recoveryPoint
        let log = PartitionLog(
            topicPartition: topicPartition, directory: directory, dataDirectory: dataDirectory, io: io, clock: clock,
            logger: logger, state: state)
        logger.debug(
            "opened partition log",
            metadata: [
                "log.start_offset": "\(logStartOffset)", "log.end_offset": "\(logEndOffset)",
                "log.segments": "\(segments.count)",
            ])
        return log
    }

    /// Atomically replaces a checkpoint file of the partition directory with one holding `offset`.
    static func writeCheckpoint(
        _ name: String, _ offset: Int64, directory: String, topicPartition: TopicPartition, io: any StorageIO
    ) throws(BrokerError) {
        let text = "0\n1\n\(topicPartition.topic) \(topicPartition.partition) \(offset)\n"
        try io.writeFileAtomically(directory + "/" + name, Array(text.utf8), directory: directory)
    }

    /// The offset in a checkpoint file of the partition directory, or `nil` when the file is
    /// missing or does not parse (with a warning: recovery then assumes the worst).
    static func readCheckpoint(
        _ name: String, directory: String, topicPartition: TopicPartition, io: any StorageIO, logger: Logger
    ) throws(BrokerError) -> Int64? {
        guard let bytes = try io.readWholeFile(directory + "/" + name) else { return nil }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        if lines.count == 3, lines[0] == "0", lines[1] == "1" {
            let fields = lines[2].split(separator: " ")
            if fields.count == 3, fields[0] == topicPartition.topic, Int32(fields[1]) == topicPartition.partition,
                let offset = Int64(fields[2]), offset >= 0, offset <= LogSegment.maxOffset
            {
                return offset
            }
        }
        logger.warning("ignoring \(name), which does not parse")
        return nil
    }
}
