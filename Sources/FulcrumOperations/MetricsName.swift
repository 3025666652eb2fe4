/// The metric labels. Dotted, with dimensions; the Prometheus exposition (``PrometheusFactory``) turns the dots
/// into underscores and appends `_total` to counters, so `fulcrum.ticks.rejected` is scraped as
/// `fulcrum_ticks_rejected_total{feed="…",reason="…"}`.
public enum MetricsName {
    /// Messages received per feed (`feed`).
    public static let ticksReceived = "fulcrum.ticks.received"
    /// Ticks accepted per feed (`feed`).
    public static let ticksAccepted = "fulcrum.ticks.accepted"
    /// Well-formed messages of channels Fulcrum does not use, per feed (`feed`).
    public static let ticksIgnored = "fulcrum.ticks.ignored"
    /// Messages or ticks rejected, per feed and reason (`feed`, `reason` = ``RejectionReason/metricName``).
    public static let ticksRejected = "fulcrum.ticks.rejected"
    /// Grid steps run.
    public static let gridSteps = "fulcrum.grid.steps"
    /// Grid samples that fell back to the robust trade price: `ingest.gridPrice` is `mid` or `mark` and no venue
    /// had a fresh value.
    public static let gridPriceFallbacks = "fulcrum.grid.price.fallbacks"
    /// Times the ingest thread, about to close an interval, waited for the step thread to finish the previous step.
    public static let stepWaits = "fulcrum.step.waits"
    /// Updates published (each once, whatever the number of encodings).
    public static let updatesPublished = "fulcrum.updates.published"
    /// Heartbeats sent.
    public static let heartbeatsSent = "fulcrum.heartbeats.sent"
    /// Snapshot requests, by `result` (`answered`, `invalid`, `dropped`: the reply did not fit the client's backlog).
    public static let snapshotRequests = "fulcrum.snapshot.requests"
    /// Histogram: latency of a tick that closed a grid interval, receipt to last update queued (seconds).
    public static let gridStepLatency = "fulcrum.grid.step.seconds"
    /// Histogram: estimator time of a grid step (returns, volatility, correlation), seconds.
    public static let estimatorStepLatency = "fulcrum.estimator.step.seconds"
    /// Histogram: optimizer time of a grid step, including encoding and handing over its updates, seconds.
    public static let optimizerStepLatency = "fulcrum.optimizer.step.seconds"
    /// Gauge: peers connected to the PUB socket (libzmq socket monitor: accepted − disconnected).
    public static let subscribers = "fulcrum.subscribers"
    /// Gauge: topic subscriptions those peers hold (seen by the XPUB socket).
    public static let subscriptions = "fulcrum.subscriptions"
    /// Peers refused in the security handshake of the PUB or snapshot socket, by `reason` (`plain`,
    /// `wrong_key`, `not_allowed`, `other`).
    public static let handshakesRefused = "fulcrum.security.handshakes.refused"
    /// Decisions of the ZAP handler, by `result` (`accepted`, `denied`), over every CURVE socket.
    public static let zapDecisions = "fulcrum.security.zap.decisions"
    /// Gauge: event time from the last checkpointed grid boundary to the last closed one, seconds (what a
    /// restart from the checkpoint would have to catch up on).
    public static let checkpointAge = "fulcrum.checkpoint.age.seconds"
    /// Checkpoints by `result` (`written`, `failed`).
    public static let checkpoints = "fulcrum.checkpoints"
    /// Gauge: sequence number of the last update published.
    public static let publisherSequence = "fulcrum.publisher.sequence"
    /// Gauge: last closed grid boundary, seconds since the Unix epoch (event time).
    public static let gridBoundary = "fulcrum.grid.boundary.seconds"
    /// Gauge: seconds since a feed last delivered an accepted tick (`feed`).
    public static let feedAge = "fulcrum.feed.age.seconds"
    /// Gauge: latest price per asset (`symbol`).
    public static let assetPrice = "fulcrum.asset.price"
    /// Gauge: annualized volatility per asset (`symbol`).
    public static let assetSigma = "fulcrum.asset.sigma.annual"
    /// Gauge: published initial margin fraction (`symbol`).
    public static let assetIMF = "fulcrum.asset.imf"
    /// Gauge: target initial margin fraction (`symbol`).
    public static let assetIMFTarget = "fulcrum.asset.imf.target"
    /// Gauge: published maintenance margin fraction (`symbol`).
    public static let assetMMF = "fulcrum.asset.mmf"
    /// Gauge: target maintenance margin fraction (`symbol`).
    public static let assetMMFTarget = "fulcrum.asset.mmf.target"
    /// Gauge: published maximum leverage (`symbol`).
    public static let assetMaxLeverage = "fulcrum.asset.max.leverage"
    /// Gauge: target maximum leverage (`symbol`).
    public static let assetMaxLeverageTarget = "fulcrum.asset.max.leverage.target"
    /// Gauge: 1 for the asset's current status, 0 for the others (`symbol`, `status`).
    public static let assetStatus = "fulcrum.asset.status"

    /// Completed horizons in the asset's coverage window (gauge, `symbol`).
    public static let coverageObservations = "fulcrum.coverage.observations"
    /// Horizons in the window whose move exceeded the maintenance margin (gauge, `symbol`).
    public static let coverageExceptions = "fulcrum.coverage.exceptions"
    /// Exceptions per observation in the window (gauge, `symbol`).
    public static let coverageExceptionRate = "fulcrum.coverage.exception.rate"
    /// Kupiec's proportion-of-failures statistic of the window (gauge, `symbol`).
    public static let coverageKupiecStatistic = "fulcrum.coverage.kupiec.statistic"
    /// P-value of the Kupiec statistic (gauge, `symbol`).
    public static let coverageKupiecPValue = "fulcrum.coverage.kupiec.p.value"
    /// Traffic-light zone of the window: 0 green, 1 yellow, 2 red (gauge, `symbol`).
    public static let coverageZone = "fulcrum.coverage.zone"

    /// Gauge: the grid boundary (event time) of the latest protocol-health message, seconds since the Unix epoch
    /// (`ProtocolHealth.as_of_ns`).
    public static let healthAsOf = "fulcrum.health.as.of.seconds"
    /// Gauge: event time from the latest health message's boundary to the engine's last closed one, seconds (how
    /// far behind the parameters protocol health is).
    public static let healthAge = "fulcrum.health.age.seconds"
    /// Gauge: bad debt at the configured quantile over the stress scenarios (VaR of insolvency, quote currency).
    public static let healthBadDebtAtRisk = "fulcrum.health.bad.debt.at.risk"
    /// Gauge: mean bad debt of the scenarios at or beyond that quantile (expected shortfall).
    public static let healthBadDebtExpectedShortfall = "fulcrum.health.bad.debt.expected.shortfall"
    /// Gauge: mean bad debt over all scenarios.
    public static let healthMeanBadDebt = "fulcrum.health.bad.debt.mean"
    /// Gauge: liquidated notional at the same quantile (Liquidations at Risk).
    public static let healthLiquidationsAtRisk = "fulcrum.health.liquidations.at.risk"
    /// Gauge: the configured insurance fund.
    public static let healthInsuranceFund = "fulcrum.health.insurance.fund"
    /// Gauge: insurance fund / bad debt at risk; `+Inf` without bad debt at risk.
    public static let healthCoverageRatio = "fulcrum.health.coverage.ratio"
    /// Gauge: the quantile of the at-risk figures (e.g. 0.99).
    public static let healthConfidence = "fulcrum.health.confidence"
    /// Gauge: rounds of the deepest liquidation cascade over the scenarios.
    public static let healthDeepestCascade = "fulcrum.health.cascade.depth.max"
    /// Gauge: stress scenarios run.
    public static let healthScenarios = "fulcrum.health.scenarios"
    /// Gauge: scenarios whose cascade hit the round limit before a fixed point.
    public static let healthUnconverged = "fulcrum.health.scenarios.unconverged"
    /// Gauge: margin units (cross accounts, isolated positions) with positions.
    public static let healthUnits = "fulcrum.health.units"
    /// Gauge: margin units below maintenance now.
    public static let healthLiquidatableUnits = "fulcrum.health.units.liquidatable"
    /// Gauge: open positions.
    public static let healthPositions = "fulcrum.health.positions"
    /// Gauge: equity summed over units, quote currency.
    public static let healthEquity = "fulcrum.health.equity"
    /// Gauge: maintenance margin summed over units, quote currency.
    public static let healthMaintenance = "fulcrum.health.maintenance"
    /// Gauge: wall-clock time of the latest health computation (valuation and stress), seconds.
    public static let healthComputeSeconds = "fulcrum.health.compute.seconds"
    /// Gauge: open interest per market and side, quote notional at the mark (`symbol`, `side` = `long`, `short`).
    public static let healthMarketNotional = "fulcrum.health.market.notional"
    /// Gauge: open interest held by units below maintenance now (`symbol`).
    public static let healthMarketLiquidatable = "fulcrum.health.market.liquidatable.notional"
    /// Gauge: bad debt attributed to the market over the tail scenarios (`symbol`).
    public static let healthMarketTailBadDebt = "fulcrum.health.market.tail.bad.debt"
    /// Gauge: open interest whose unit is within `sigma` (1, 2, 3) horizon σ of liquidation (`symbol`, `sigma`).
    public static let healthMarketWithinSigma = "fulcrum.health.market.notional.within.sigma"
    /// Gauge: health-constrained margins' multiplier of the market's target (`symbol`; 1 = none).
    public static let healthMarketMarginMultiplier = "fulcrum.health.market.margin.multiplier"
    /// Gauge: 1 while health-constrained margins raise at least one market, else 0.
    public static let healthMarginsConstrained = "fulcrum.health.margins.constrained"
    /// Gauge: bad debt at risk of the parameters in force and of the proposed ones (`parameters` = `current`,
    /// `proposed`), when health-constrained margins are on.
    public static let healthTradeoffBadDebt = "fulcrum.health.tradeoff.bad.debt.at.risk"
    /// Gauge: Liquidations at Risk of the parameters in force and of the proposed ones (`parameters`).
    public static let healthTradeoffLiquidations = "fulcrum.health.tradeoff.liquidations.at.risk"
    /// Gauge: open interest per unit of initial margin under the parameters in force and the proposed ones
    /// (`parameters`).
    public static let healthTradeoffCapitalEfficiency = "fulcrum.health.tradeoff.capital.efficiency"
    /// Position-feed updates by `result` (`applied`, `ignored`: older than the book).
    public static let positionUpdates = "fulcrum.positions.updates"
    /// Position-feed snapshots applied.
    public static let positionSnapshots = "fulcrum.positions.snapshots"
    /// Position changes the book refused (unknown market, non-finite field, full book).
    public static let positionChangesRefused = "fulcrum.positions.changes.refused"
    /// Position-feed resyncs by `reason` (`start`, `gap`, `new_epoch`, `stale_snapshot`, `snapshot_timeout`).
    public static let positionResyncs = "fulcrum.positions.resyncs"
    /// Position-source frames that could not be read, by `kind` (`update`, `snapshot`).
    public static let positionFramesMalformed = "fulcrum.positions.frames.malformed"

    /// Gauge: assets without per-symbol series because they are beyond `http.symbolMetricsLimit`.
    public static let assetSeriesOmitted = "fulcrum.asset.series.omitted"
    /// Gauge: 1 with the build's `version` and `commit` as labels (join on it to see which build runs).
    public static let buildInfo = "fulcrum.build.info"
    /// Gauge: 1 while `/ready` would answer 200, 0 otherwise.
    public static let ready = "fulcrum.ready"

    /// Process metrics under the names every Prometheus client exports (see ``ProcessMetrics``).
    public static let processCPU = "process.cpu.seconds"
    /// Resident memory, bytes.
    public static let processResident = "process.resident.memory.bytes"
    /// Virtual memory, bytes.
    public static let processVirtual = "process.virtual.memory.bytes"
    /// Open file descriptors.
    public static let processOpenDescriptors = "process.open.fds"
    /// The limit of open file descriptors.
    public static let processMaximumDescriptors = "process.max.fds"
    /// Start time of the process, seconds since the Unix epoch.
    public static let processStartTime = "process.start.time.seconds"

    /// The labels that are counters (they get `_total` in Prometheus).
    public static let counters: Set<String> = [
        processCPU,
        ticksReceived, ticksAccepted, ticksIgnored, ticksRejected, gridSteps, gridPriceFallbacks, updatesPublished,
        stepWaits, heartbeatsSent,
        snapshotRequests, checkpoints, handshakesRefused, zapDecisions,
        positionUpdates, positionSnapshots, positionChangesRefused, positionResyncs, positionFramesMalformed,
    ]

    /// The `# HELP` text of each family, as Prometheus shows it.
    public static let help: [String: String] = [
        assetSeriesOmitted: "Assets without per-symbol series: beyond http.symbolMetricsLimit in engine order.",
        processCPU: "Total user and system CPU time spent in seconds.",
        processResident: "Resident memory size in bytes.",
        processVirtual: "Virtual memory size in bytes.",
        processOpenDescriptors: "Number of open file descriptors.",
        processMaximumDescriptors: "Maximum number of open file descriptors.",
        processStartTime: "Start time of the process since unix epoch in seconds.",
        buildInfo: "1, with the version and commit of the running build as labels.",
        ready: "1 while the process is ready to serve parameters (/ready answers 200), 0 otherwise.",
        ticksReceived: "Messages received per feed (feed).",
        ticksAccepted: "Ticks accepted per feed (feed).",
        ticksIgnored: "Well-formed messages of channels Fulcrum does not use, per feed (feed).",
        ticksRejected: "Messages or ticks rejected, per feed and reason (feed, reason = the rejection reason).",
        gridSteps: "Grid steps run.",
        gridPriceFallbacks: "Grid samples that fell back to the robust trade price (ingest.gridPrice mid or mark, "
            + "no venue fresh).",
        stepWaits: "Times the ingest thread, about to close an interval, waited for the step thread to finish the "
            + "previous step.",
        updatesPublished: "Updates published (each once, whatever the number of encodings).",
        heartbeatsSent: "Heartbeats sent.",
        snapshotRequests: "Snapshot requests, by result (answered, invalid, dropped).",
        gridStepLatency: "Latency of a tick that closed a grid interval, receipt to last update queued (seconds).",
        estimatorStepLatency: "Estimator time of a grid step (returns, volatility, correlation), seconds.",
        optimizerStepLatency: "Optimizer time of a grid step, including encoding and handing over its updates, "
            + "seconds.",
        subscribers: "Peers connected to the PUB socket (libzmq socket monitor: accepted − disconnected).",
        subscriptions: "Topic subscriptions those peers hold (seen by the XPUB socket).",
        handshakesRefused: "Peers refused in the security handshake of the PUB or snapshot socket, by reason "
            + "(plain, wrong_key, not_allowed, other).",
        zapDecisions: "Decisions of the ZAP handler, by result (accepted, denied), over every CURVE socket.",
        checkpointAge: "Event time from the last checkpointed grid boundary to the last closed one, seconds "
            + "(what a restart from the checkpoint would have to catch up on).",
        checkpoints: "Checkpoints by result (written, failed, skipped).",
        publisherSequence: "Sequence number of the last update published.",
        gridBoundary: "Last closed grid boundary, seconds since the Unix epoch (event time).",
        feedAge: "Seconds since a feed last delivered an accepted tick (feed).",
        assetPrice: "Latest price per asset (symbol).",
        assetSigma: "Annualized volatility per asset (symbol).",
        assetIMF: "Published initial margin fraction (symbol).",
        assetIMFTarget: "Target initial margin fraction (symbol).",
        assetMMF: "Published maintenance margin fraction (symbol).",
        assetMMFTarget: "Target maintenance margin fraction (symbol).",
        assetMaxLeverage: "Published maximum leverage (symbol).",
        assetMaxLeverageTarget: "Target maximum leverage (symbol).",
        assetStatus: "1 for the asset's current status, 0 for the others (symbol, status).",
        coverageObservations: "Completed horizons in the asset's coverage window (gauge, symbol).",
        coverageExceptions: "Horizons in the window whose move exceeded the maintenance margin (gauge, symbol).",
        coverageExceptionRate: "Exceptions per observation in the window (gauge, symbol).",
        coverageKupiecStatistic: "Kupiec's proportion-of-failures statistic of the window (gauge, symbol).",
        coverageKupiecPValue: "P-value of the Kupiec statistic (gauge, symbol).",
        coverageZone: "Traffic-light zone of the window: 0 green, 1 yellow, 2 red (gauge, symbol).",
        healthAsOf: "Grid boundary (event time) of the latest protocol-health message, seconds since the Unix epoch.",
        healthAge: "Event time from the latest health message's boundary to the engine's last closed one, seconds.",
        healthBadDebtAtRisk: "Bad debt at the configured quantile over the stress scenarios (VaR of insolvency).",
        healthBadDebtExpectedShortfall: "Mean bad debt of the scenarios at or beyond that quantile (expected "
            + "shortfall).",
        healthMeanBadDebt: "Mean bad debt over all stress scenarios.",
        healthLiquidationsAtRisk: "Liquidated notional at the same quantile (Liquidations at Risk).",
        healthInsuranceFund: "The configured insurance fund.",
        healthCoverageRatio: "Insurance fund / bad debt at risk; +Inf without bad debt at risk.",
        healthConfidence: "Quantile of the at-risk figures.",
        healthDeepestCascade: "Rounds of the deepest liquidation cascade over the scenarios.",
        healthScenarios: "Stress scenarios run.",
        healthUnconverged: "Scenarios whose cascade hit the round limit before a fixed point.",
        healthUnits: "Margin units (cross accounts, isolated positions) with positions.",
        healthLiquidatableUnits: "Margin units below maintenance now.",
        healthPositions: "Open positions.",
        healthEquity: "Equity summed over units.",
        healthMaintenance: "Maintenance margin summed over units.",
        healthComputeSeconds: "Wall-clock time of the latest health computation (valuation and stress), seconds.",
        healthMarketNotional: "Open interest per market and side, quote notional at the mark (symbol, side).",
        healthMarketLiquidatable: "Open interest held by units below maintenance now (symbol).",
        healthMarketTailBadDebt: "Bad debt attributed to the market over the tail scenarios (symbol).",
        healthMarketWithinSigma: "Open interest whose unit is within sigma (1, 2, 3) horizon sigma of liquidation "
            + "(symbol, sigma).",
        healthMarketMarginMultiplier: "Health-constrained margins' multiplier of the market's target (symbol; 1 = none).",
        healthMarginsConstrained: "1 while health-constrained margins raise at least one market, else 0.",
        healthTradeoffBadDebt: "Bad debt at risk of the parameters in force and of the proposed ones (parameters).",
        healthTradeoffLiquidations: "Liquidations at Risk of the parameters in force and of the proposed ones (parameters).",
        healthTradeoffCapitalEfficiency: "Open interest per unit of initial margin, parameters in force and proposed "
            + "(parameters).",
        positionUpdates: "Position-feed updates by result (applied, ignored).",
        positionSnapshots: "Position-feed snapshots applied.",
        positionChangesRefused: "Position changes the book refused (unknown market, non-finite field, full book).",
        positionResyncs: "Position-feed resyncs by reason (start, gap, new_epoch, stale_snapshot, snapshot_timeout).",
        positionFramesMalformed: "Position-source frames that could not be read, by kind (update, snapshot).",
    ]
}
