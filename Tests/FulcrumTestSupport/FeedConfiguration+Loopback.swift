import MarketData

extension FeedConfiguration {
    /// A feed named `name` that Fulcrum binds on the loopback interface at `port`, for a test's publisher to
    /// connect to.
    public static func bound(toPort port: Int, name: String = "test",
                             encoding: FeedEncoding = .fulcrumProtobuf) -> FeedConfiguration {
        FeedConfiguration(name: name, endpoint: "tcp://127.0.0.1:\(port)", bind: true, encoding: encoding)
    }
}
