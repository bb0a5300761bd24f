import AdminProtocol

/// ApiVersions (key 0): the handshake. Lists every API and version range this broker serves.
enum ApiVersionsHandler {
    static func handle(_ request: ApiVersionsRequest, role: AdminRole, _ context: RequestContext) -> ApiVersionsResponse
    {
        context.logger.debug(
            "handshake",
            metadata: [
                "client.name": "\(request.clientName)", "client.version": "\(request.clientVersion)", "role": "\(role)",
            ])
        return ApiVersionsResponse(
            brokerVersion: context.config.brokerVersion, maxFrameBytes: UInt32(context.config.maxFrameBytes),
            apis: ApiKey.allCases.map {
                ApiVersionRange(
                    apiKey: $0.rawValue, minVersion: $0.supportedVersions.lowerBound,
                    maxVersion: $0.supportedVersions.upperBound)
            }, role: role)
    }
}
