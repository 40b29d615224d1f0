/**
 * acpx-core: the acpx engine and its embeddable runtime. Only the API is exported; the
 * implementation is reached through the {@link dev.acpx.api.AcpxRuntimeProvider} service it
 * provides. Jackson binds the ACP protocol types (and a few records of the engine) by reflection,
 * so those packages are opened to it, and to nobody else.
 */
module dev.acpx.core {
    requires com.fasterxml.jackson.databind;
    // The fleet limit (docs/FLEET.md); its classes load only when a fleet is configured, so the
    // driver is optional for a host on the module path that uses no fleet.
    requires java.sql;
    requires static org.postgresql.jdbc;

    exports dev.acpx.api;
    exports dev.acpx.api.flow;

    uses dev.acpx.api.AcpxRuntimeProvider;
    provides dev.acpx.api.AcpxRuntimeProvider with dev.acpx.core.runtime.CoreRuntimeProvider;
    uses dev.acpx.api.CommandLineService;
    uses dev.acpx.api.flow.FlowRunnerProvider;
    provides dev.acpx.api.flow.FlowRunnerProvider with dev.acpx.core.flow.CoreFlowRunnerProvider;

    opens dev.acpx.core.protocol to com.fasterxml.jackson.databind;
    opens dev.acpx.core.jsonrpc to com.fasterxml.jackson.databind;
    opens dev.acpx.core.lifecycle to com.fasterxml.jackson.databind;
}
