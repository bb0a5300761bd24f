import Logging

extension PartitionLog {
    /// Opens (or creates) the log of `topicPartition` in `<dataDirectory>/<topic>-<partition>`.
    ///
    /// After a clean shutdown (`cleanShutdown`, from the broker's marker) the segments and their
    /// indexes are trusted; an index that is missing or fails its checks (size a multiple of the
    /// entry size, increasing entries, last entry matching its batch) is rebuilt from the log.
    ///
    /// After an unclean shutdown every batch from the segment holding the recovery point on is
    /// re-read and checked (length, magic, CRC, contiguous offsets) and the indexes of those
    /// segments are rebuilt. Damage followed by valid batches (and damage in any segment but the
    /// active one) is kept in place and stepped over by readers; only a tail of the active segment
    /// with nothing valid after it is cut (a torn write), its bytes kept in
    /// `<log>.cut-at-<position>`. Recovered segments before the active one are fsynced; the active
    /// one is not (as in Kafka): the recovery point stays at or below its checked batches until
    /// the next flush.
    ///
    /// Checkpoints are hints: a log start offset or a recovery point past the recovered log end is
    /// ignored with a notice, and every batch is kept.
    ///
    /// Also removes leftovers of interrupted operations (temporary files, index files without a
    /// log, segments below the log start offset).
    public static func open(
        dataDirectory: String, topicPartition: TopicPartition, config: LogConfig,
        clock: any BrokerClock = SystemClock(), io: any StorageIO = PosixStorageIO(),
        files: SegmentFileCache? = nil, notices: StorageNoticeLog? = nil, cleanShutdown: Bool, logger: Logger
    ) throws(BrokerError) -> PartitionLog {
        try open(
            dataDirectory: dataDirectory, topicPartition: topicPartition, config: config, clock: clock, io: io,
            files: files, notices: notices, cleanShutdown: cleanShutdown, directoryExists: nil, logger: logger)
    }

    /// ``open(dataDirectory:topicPartition:config:clock:io:files:notices:cleanShutdown:logger:)``
    /// for a caller that already knows whether the partition directory exists (the registry lists
    /// the data directory once instead of asking per partition).
    static func open(
        dataDirectory: String, topicPartition: TopicPartition, config: LogConfig, clock: any BrokerClock,
        io: any StorageIO, files: SegmentFileCache?, notices: StorageNoticeLog?, cleanShutdown: Bool,
        directoryExists: Bool?, logger: Logger
    ) throws(BrokerError) -> PartitionLog {
        var logger = logger
        logger[metadataKey: "topic.name"] = "\(topicPartition.topic)"
        logger[metadataKey: "partition.id"] = "\(topicPartition.partition)"
        let files = files ?? SegmentFileCache(capacity: 256)
        let directory = dataDirectory + "/" + topicPartition.description
        let now = clock.nowMilliseconds()
        func notice(_ kind: StorageNotice.Kind, _ path: String, _ message: String) {
            if let notices { notices.add(kind, path: path, message) } else { logger.warning("\(message)") }
        }

        // A new directory is not fsynced here: the first flush of data makes it durable (a new,
        // empty partition lost in a crash is created again from the topic metadata).
        let isNew = !(directoryExists ?? io.fileExists(directory))
        if isNew { try io.createDirectory(directory) }

        let names = isNew ? [] : try io.contentsOfDirectory(directory)
        let present = Set(names)
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
        var recoveryCheckpoint =
            !present.contains(recoveryPointFileName)
            ? nil
            : try readCheckpoint(
                recoveryPointFileName, directory: directory, topicPartition: topicPartition, io: io, logger: logger)
        var startCheckpoint =
            !present.contains(logStartOffsetFileName)
            ? nil
            : try readCheckpoint(
                logStartOffsetFileName, directory: directory, topicPartition: topicPartition, io: io, logger: logger)

        var segments: [LogSegment] = []
        for base in logBases.sorted() {
            segments.append(try LogSegment.open(in: directory, baseOffset: base, io: io, files: files, now: now))
        }
        // Segments whose files were rebuilt and must be flushed before the log is used.
        var recovered: [LogSegment] = []
        if segments.isEmpty {
            segments = [
                try LogSegment.create(in: directory, baseOffset: startCheckpoint ?? 0, io: io, files: files, now: now)
            ]
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
                let isActive = index == segments.count - 1
                let endOffset = isActive ? nil : segments[index + 1].baseOffset
                if index >= firstToRecover {
                    result = try segment.recover(
                        indexIntervalBytes: config.indexIntervalBytes, isActive: isActive, endOffset: endOffset)
                } else if let problem = try segment.loadIndexes(present: present) {
                    logger.warning("rebuilding the indexes of segment \(segment.baseOffset): \(problem)")
                    result = try segment.recover(
                        indexIntervalBytes: config.indexIntervalBytes, isActive: isActive, endOffset: endOffset)
                }
                if let result {
                    recovered.append(segment)
                    if result.truncatedBytes > 0 {
                        notice(
                            .tailCut, "\(topicPartition)/\(segment.logFileName)",
                            "cut a torn tail of \(result.truncatedBytes) bytes from \(segment.displayName) (\(result.problem ?? "invalid data")); the bytes are kept in \(topicPartition)/\(result.cutFile ?? "?")"
                        )
                    }
                    for damage in result.damage {
                        notice(
                            .damagedData, "\(topicPartition)/\(segment.logFileName)",
                            CorruptBatch(topicPartition: topicPartition, damage: damage).description)
                    }
                }
                index += 1
            }
        }

        let logEndOffset = segments[segments.count - 1].nextOffset
        let firstBase = segments[0].baseOffset
        // An ignored checkpoint is rewritten below: left on disk, it would be trusted again once
        // the log grows past it (and a log start offset would then delete the segments below it).
        var ignoredStart = false
        var ignoredRecoveryPoint = false
        if let start = startCheckpoint, start > logEndOffset {
            notice(
                .checkpointIgnored, "\(topicPartition)/\(logStartOffsetFileName)",
                "ignored the log start offset checkpoint of \(topicPartition): it says \(start), past the end of the log (\(logEndOffset)); every stored batch is kept and the log starts at \(firstBase)"
            )
            startCheckpoint = nil
            ignoredStart = true
        }
        if let point = recoveryCheckpoint, point > logEndOffset {
            notice(
                .checkpointIgnored, "\(topicPartition)/\(recoveryPointFileName)",
                "ignored the recovery point checkpoint of \(topicPartition): it says \(point), past the end of the log (\(logEndOffset))"
            )
            recoveryCheckpoint = nil
            ignoredRecoveryPoint = true
        }
        let logStartOffset = max(startCheckpoint ?? firstBase, firstBase)
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
            lastAppendTime = try newest.modificationTime()
        }
        // An absent checkpoint means "the first segment": nothing to write for a fresh partition.
        let emptyFromStart = recoveryCheckpoint == nil && recoveryPoint == firstBase
        if ignoredRecoveryPoint || (recoveryCheckpoint != recoveryPoint && !emptyFromStart) {
            try writeCheckpoint(
                recoveryPointFileName, recoveryPoint, directory: directory, topicPartition: topicPartition, io: io)
            recoveryCheckpoint = recoveryPoint
        }
        if ignoredStart
            || (startCheckpoint != logStartOffset && !(startCheckpoint == nil && logStartOffset == firstBase))
        {
            try writeCheckpoint(
                logStartOffsetFileName, logStartOffset, directory: directory, topicPartition: topicPartition, io: io)
            startCheckpoint = logStartOffset
        }
        var state = State(
            config: config, segments: segments, logStartOffset: logStartOffset, logEndOffset: logEndOffset,
            recoveryPoint: recoveryPoint, checkpointedRecoveryPoint: recoveryCheckpoint,
            checkpointedLogStartOffset: startCheckpoint, lastFlushTime: now, lastAppendTime: lastAppendTime)
        // The recovered, unflushed records count towards flush.messages and flush.ms like appended ones.
        state.unflushedMessages = logEndOffset - recoveryPoint
        state.directoryUnsynced = isNew
        let log = PartitionLog(
            topicPartition: topicPartition, directory: directory, dataDirectory: dataDirectory, io: io, files: files,
            notices: notices, clock: clock, logger: logger, state: state)
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
