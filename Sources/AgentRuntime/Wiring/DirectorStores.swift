import ArgumentParser
import Configuration
import Foundation
import Ledger

/// The TradingDirector's databases, opened before it starts: its durable records, with what a
/// previous run left in them, and the analytics (closed trades and portfolio snapshots).
public struct DirectorStores: Sendable {
    let records: DirectorStore
    let recovered: DirectorRecords
    let analytics: AnalyticsStore?

    /// Opens (creating folders and schemas when missing) the analytics database and the records
    /// where `options` say (the records by default `director.sqlite` beside the analytics),
    /// committing as `settings` say, their checkpoints apart.
    public init(_ options: DirectorStoreOptions, settings: DirectorSection) throws {
        analytics = options.noAnalytics ? nil : try Self.openAnalytics(options.analytics, syncEveryCommit: settings.syncEveryCommit)
        let path = options.store ?? URL(fileURLWithPath: options.analytics).deletingLastPathComponent().appendingPathComponent("director.sqlite").path
        do {
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            records = try DirectorStore(path: path, syncEveryCommit: settings.syncEveryCommit, checkpointsApart: true)
            recovered = try records.load(rememberedSignals: settings.rememberedSignals)
        } catch {
            throw ValidationError("cannot open the director's store '\(path)': \(error)")
        }
    }

    private static func openAnalytics(_ path: String, syncEveryCommit: Bool) throws -> AnalyticsStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return try AnalyticsStore(path: path, syncEveryCommit: syncEveryCommit, checkpointsApart: true)
        } catch {
            throw ValidationError("cannot open the analytics database '\(path)': \(error)")
        }
    }
}
