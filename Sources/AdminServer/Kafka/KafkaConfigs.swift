import BrokerCore
import KafkaProtocol
import TopicConfigRules

/// DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics (resource type 2).
/// The broker resource (type 4) describes as empty: Skiff has no dynamic broker configs.
enum KafkaConfigs {
    static let topicResource: Int8 = 2
    static let brokerResource: Int8 = 4
    /// Kafka's ConfigSource values.
    static let dynamicTopicConfig: Int8 = 1
    static let defaultConfig: Int8 = 5

    /// Kafka's ConfigType of a key (`STRING` 2, `INT` 3, `LONG` 5, `LIST` 7).
    static func configType(_ key: String) -> Int8 {
        guard let rule = TopicConfigKeys.key(key) else { return 2 }
        switch rule.kind {
        case .choice: return key == "cleanup.policy" ? 7 : 2
        case .integer(_, let max, _): return max <= Int64(Int32.max) ? 3 : 5
        }
    }

    static func describe(
        _ request: DescribeConfigsRequest, version: Int16, context: KafkaRequestContext
    )
        -> DescribeConfigsResponse
    {
        var response = DescribeConfigsResponse()
        for resource in request.resources {
            var result = DescribeConfigsResponse.DescribeConfigsResult()
            result.resourceType = resource.resourceType
            result.resourceName = resource.resourceName
            switch resource.resourceType {
            case topicResource:
                do {
                    let d = try context.backend.describeTopic(resource.resourceName)
                    // Null (and, leniently, empty) asks for every key.
                    let only = resource.configurationKeys.flatMap { $0.isEmpty ? nil : Set($0) }
                    result.configs = d.sortedConfig.filter { only?.contains($0.key) ?? true }.map { entry in
                        let key = entry.key
                        var c = DescribeConfigsResponse.DescribeConfigsResourceResult()
                        c.name = key
                        c.value = entry.value
                        let overridden = entry.isOverride
                        c.configSource = overridden ? dynamicTopicConfig : defaultConfig
                        if version == 0 { c.isDefault = !overridden }
                        c.configType = configType(key)
                        if request.includeSynonyms {
                            var s = DescribeConfigsResponse.DescribeConfigsSynonym()
                            s.name = key
                            s.value = c.value
                            s.source = c.configSource
                            c.synonyms = [s]
                        }
                        return c
                    }
                } catch {
                    result.errorCode = KafkaHandlers.code(error)
                    result.errorMessage = error.description
                }
            case brokerResource:
                break
            default:
                result.errorCode = KafkaErrorCode.invalidRequest.rawValue
                result.errorMessage = "resource type \(resource.resourceType) is not one Skiff has configs for"
            }
            response.results.append(result)
        }
        return response
    }

    /// The problem with setting `set` and removing `delete` on `topic`, checked without changing anything.
    private static func check(
        topic: String, set: [String: String], delete: [String], context: KafkaRequestContext
    ) -> (KafkaErrorCode, String)? {
        guard context.backend.partitionCount(of: topic) != nil else {
            return (.unknownTopicOrPartition, "no topic \(topic)")
        }
        for (key, value) in set.sorted(by: { $0.key < $1.key }) {
            if case .failure(let problem) = TopicConfigKeys.check(key: key, value: value) {
                return (.invalidConfig, problem.message { "'\($0)'" })
            }
        }
        for key in delete where TopicConfigKeys.key(key) == nil {
            return (.invalidConfig, "unknown config key '\(key)'")
        }
        return nil
    }

    private static func apply(
        resourceType: Int8, name: String, set: [String: String], delete: [String], validateOnly: Bool,
        readOnly: Bool, context: KafkaRequestContext
    ) -> (Int16, String?) {
        guard resourceType == topicResource else {
            return (KafkaErrorCode.invalidRequest.rawValue, "only topic configs can be changed in Skiff")
        }
        if readOnly {
            return (KafkaErrorCode.topicAuthorizationFailed.rawValue, "the read-only user cannot change configs")
        }
        if let (code, message) = check(topic: name, set: set, delete: delete, context: context) {
            return (code.rawValue, message)
        }
        if validateOnly { return (0, nil) }
        do {
            try context.backend.alterTopicConfig(name, set: set, delete: delete)
            return (0, nil)
        } catch {
            return (KafkaHandlers.code(error), error.description)
        }
    }

    /// AlterConfigs replaces a topic's whole set of overrides with the given entries.
    static func alter(
        _ request: AlterConfigsRequest, readOnly: Bool, context: KafkaRequestContext
    )
        -> AlterConfigsResponse
    {
        var response = AlterConfigsResponse()
        for resource in request.resources {
            var r = AlterConfigsResponse.AlterConfigsResourceResponse()
            r.resourceType = resource.resourceType
            r.resourceName = resource.resourceName
            var set: [String: String] = [:]
            for c in resource.configs { if let v = c.value { set[c.name] = v } }
            let current = (try? context.backend.describeTopic(resource.resourceName))?.configOverrides ?? [:]
            let delete = current.keys.filter { set[$0] == nil }.sorted()
            (r.errorCode, r.errorMessage) = apply(
                resourceType: resource.resourceType, name: resource.resourceName, set: set, delete: delete,
                validateOnly: request.validateOnly, readOnly: readOnly, context: context)
            response.responses.append(r)
        }
        return response
    }

    /// IncrementalAlterConfigs: SET (0) and DELETE (1); APPEND and SUBTRACT apply to list
    /// configs, which Skiff's topics do not have beyond `cleanup.policy` with its one value.
    static func incrementalAlter(
        _ request: IncrementalAlterConfigsRequest, readOnly: Bool, context: KafkaRequestContext
    ) -> IncrementalAlterConfigsResponse {
        var response = IncrementalAlterConfigsResponse()
        for resource in request.resources {
            var r = IncrementalAlterConfigsResponse.AlterConfigsResourceResponse()
            r.resourceType = resource.resourceType
            r.resourceName = resource.resourceName
            var set: [String: String] = [:]
            var delete: [String] = []
            var refusal: String?
            for c in resource.configs {
                switch c.configOperation {
                case 0: set[c.name] = c.value ?? ""
                case 1: delete.append(c.name)
                default:
                    refusal = "APPEND and SUBTRACT work on list configs; \(c.name) takes one value: use SET"
                }
            }
            if let refusal {
                r.errorCode = KafkaErrorCode.invalidConfig.rawValue
                r.errorMessage = refusal
            } else {
                (r.errorCode, r.errorMessage) = apply(
                    resourceType: resource.resourceType, name: resource.resourceName, set: set, delete: delete,
                    validateOnly: request.validateOnly, readOnly: readOnly, context: context)
            }
            response.responses.append(r)
        }
        return response
    }
}
