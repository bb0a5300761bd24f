import AdminProtocol

/// Where the topic screen's parts go: summary, config grid, partition table, consuming groups.
struct TopicGeometry {
    let summaryRow: Int
    let configTop: Int
    /// The config grid: its columns, rows and column widths.
    let config: ConfigGrid
    var configRows: Int { config.rows }
    let partitionHeaderRow: Int
    let partitionRowsTop: Int
    let partitionRows: Int
    let groupsHeaderRow: Int
    let groupRows: Int

    init(layout: Layout, description: DescribeTopicResponse?) {
        summaryRow = layout.contentTop
        configTop = summaryRow + 1
        config = ConfigGrid(description?.config ?? [], width: layout.size.width - 2)
        partitionHeaderRow = configTop + config.rows + (config.rows > 0 ? 1 : 0)
        partitionRowsTop = partitionHeaderRow + 1
        // The groups keep up to four rows; the partitions take the rest, and the groups follow
        // them (with every row left) or sit at the bottom when the partitions fill the screen.
        let groups = description?.consumerGroups.count ?? 0
        let kept = max(1, min(4, groups))
        let lowest = layout.contentBottom - kept - 1
        partitionRows = max(1, lowest - 1 - partitionRowsTop)
        groupsHeaderRow = min(lowest, partitionRowsTop + max(1, description?.partitions.count ?? 0) + 1)
        groupRows = max(kept, min(groups, layout.contentBottom - groupsHeaderRow - 1))
    }
}

/// Where the group screen's parts go: summary, members, lag table (or the reset dialog).
struct GroupGeometry {
    let summaryRow: Int
    let membersHeaderRow: Int
    let memberRows: Int
    let lagHeaderRow: Int
    let lagRowsTop: Int
    let lagRows: Int
    let bottom: Int

    init(layout: Layout, description: DescribeGroupResponse?) {
        summaryRow = layout.contentTop
        membersHeaderRow = summaryRow + 1
        memberRows = max(1, min(5, description?.members.count ?? 0))
        lagHeaderRow = membersHeaderRow + 1 + memberRows + 1
        lagRowsTop = lagHeaderRow + 1
        bottom = layout.contentBottom
        lagRows = max(1, bottom - lagRowsTop)
    }
}

/// Where the messages screen's parts go: summary, table, and the detail pane at the bottom.
struct MessagesGeometry {
    let summaryRow: Int
    let headerRow: Int
    let rowsTop: Int
    let rows: Int
    let detailTop: Int
    let detailHeight: Int

    init(layout: Layout, detailOpen: Bool) {
        summaryRow = layout.contentTop
        headerRow = summaryRow + 1
        rowsTop = headerRow + 1
        detailHeight = detailOpen ? layout.contentHeight / 2 : 0
        detailTop = layout.contentBottom - detailHeight
        rows = max(1, detailTop - rowsTop)
    }
}

extension AppState {
    /// Rows of the visible screen's list.
    var listHeight: Int { listHeight(for: route) }

    /// Rows of `r`'s list at the current size.
    func listHeight(for r: Route) -> Int {
        let l = layout
        switch r {
        case .topics, .groups: return max(1, l.contentHeight - 2)
        case .topic:
            let geometry = TopicGeometry(layout: l, description: topic?.description)
            return topic?.groupsFocused == true ? geometry.groupRows : geometry.partitionRows
        case .group: return GroupGeometry(layout: l, description: group?.description).lagRows
        case .messages: return MessagesGeometry(layout: l, detailOpen: messages?.detailOpen ?? false).rows
        case .help: return max(1, l.contentHeight)
        case .value: return max(1, l.contentHeight - 1)
        case .broker, .createTopic, .publish: return 1
        }
    }
}
