import FulcrumService

extension TemporaryDirectory {
    /// Writes `configuration` as a configuration file named `name` inside the directory and returns its path
    /// (``FulcrumService/FulcrumConfiguration/writeConfigurationFile(to:)``).
    @discardableResult
    public func write(_ configuration: FulcrumConfiguration, to name: String) throws -> String {
        try configuration.writeConfigurationFile(to: path(name))
        return path(name)
    }
}
