/// How a held tick (see ``RobustPriceFilter/Decision/held(referencePrice:)``) was settled by the next tick of its
/// stream. `tag` is the value the held tick was evaluated with (the ingestor passes its feed index).
public enum HeldTickResolution: Sendable, Hashable {
    /// The next tick did not return to the old level: the move persists and the held tick is accepted, its
    /// ``Tick/robustPrice`` the reference after it. It is to be booked at its own exchange time.
    case confirmed(Tick, tag: Int32)
    /// The next tick returned to the old level and away from the held price: the held tick was an isolated spike
    /// and is quarantined.
    case quarantined(Tick, tag: Int32)
}
