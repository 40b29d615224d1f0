package dev.acpx.core.protocol;

/**
 * Every ACP method of protocol version 1, each name written once, with its types.
 * "Agent" methods are served by the agent (client to agent); "client" methods by the client.
 */
public final class AcpMethods {

    /** The protocol version this code speaks. */
    public static final int PROTOCOL_VERSION = 1;

    // served by the agent
    public static final AcpMethod<InitializeRequest, InitializeResponse> INITIALIZE =
            new AcpMethod<>("initialize", InitializeRequest.class, InitializeResponse.class);
    public static final AcpMethod<AuthenticateRequest, AuthenticateResponse> AUTHENTICATE =
            new AcpMethod<>("authenticate", AuthenticateRequest.class, AuthenticateResponse.class);
    public static final AcpMethod<NewSessionRequest, NewSessionResponse> SESSION_NEW =
            new AcpMethod<>("session/new", NewSessionRequest.class, NewSessionResponse.class);
    public static final AcpMethod<LoadSessionRequest, LoadSessionResponse> SESSION_LOAD =
            new AcpMethod<>("session/load", LoadSessionRequest.class, LoadSessionResponse.class);
    public static final AcpMethod<ResumeSessionRequest, ResumeSessionResponse> SESSION_RESUME =
            new AcpMethod<>("session/resume", ResumeSessionRequest.class, ResumeSessionResponse.class);
    /** Its answer is kept as sent ({@code sessions list} prints the agent's session infos as they are). */
    public static final AcpMethod<ListSessionsRequest, com.fasterxml.jackson.databind.JsonNode> SESSION_LIST =
            new AcpMethod<>("session/list", ListSessionsRequest.class, com.fasterxml.jackson.databind.JsonNode.class);
    public static final AcpMethod<PromptRequest, PromptResponse> SESSION_PROMPT =
            new AcpMethod<>("session/prompt", PromptRequest.class, PromptResponse.class);
    public static final AcpNotificationMethod<CancelNotification> SESSION_CANCEL =
            new AcpNotificationMethod<>("session/cancel", CancelNotification.class);
    public static final AcpMethod<SetSessionModeRequest, SetSessionModeResponse> SESSION_SET_MODE =
            new AcpMethod<>("session/set_mode", SetSessionModeRequest.class, SetSessionModeResponse.class);
    public static final AcpMethod<SetSessionConfigOptionRequest, SetSessionConfigOptionResponse> SESSION_SET_CONFIG_OPTION =
            new AcpMethod<>("session/set_config_option", SetSessionConfigOptionRequest.class,
                    SetSessionConfigOptionResponse.class);
    /** Legacy, unstable: agents that predate config options switch models with this. */
    public static final AcpMethod<SetSessionModelRequest, SetSessionModelResponse> SESSION_SET_MODEL =
            new AcpMethod<>("session/set_model", SetSessionModelRequest.class, SetSessionModelResponse.class);

    /** ACP 2026: only for agents advertising {@code sessionCapabilities.close}. */
    public static final AcpMethod<CloseSessionRequest, CloseSessionResponse> SESSION_CLOSE =
            new AcpMethod<>("session/close", CloseSessionRequest.class, CloseSessionResponse.class);

    // served by the client
    public static final AcpNotificationMethod<SessionNotification> SESSION_UPDATE =
            new AcpNotificationMethod<>("session/update", SessionNotification.class);
    public static final AcpMethod<RequestPermissionRequest, RequestPermissionResponse> SESSION_REQUEST_PERMISSION =
            new AcpMethod<>("session/request_permission", RequestPermissionRequest.class, RequestPermissionResponse.class);
    public static final AcpMethod<ReadTextFileRequest, ReadTextFileResponse> FS_READ_TEXT_FILE =
            new AcpMethod<>("fs/read_text_file", ReadTextFileRequest.class, ReadTextFileResponse.class);
    public static final AcpMethod<WriteTextFileRequest, WriteTextFileResponse> FS_WRITE_TEXT_FILE =
            new AcpMethod<>("fs/write_text_file", WriteTextFileRequest.class, WriteTextFileResponse.class);
    public static final AcpMethod<CreateTerminalRequest, CreateTerminalResponse> TERMINAL_CREATE =
            new AcpMethod<>("terminal/create", CreateTerminalRequest.class, CreateTerminalResponse.class);
    public static final AcpMethod<TerminalOutputRequest, TerminalOutputResponse> TERMINAL_OUTPUT =
            new AcpMethod<>("terminal/output", TerminalOutputRequest.class, TerminalOutputResponse.class);
    public static final AcpMethod<WaitForTerminalExitRequest, WaitForTerminalExitResponse> TERMINAL_WAIT_FOR_EXIT =
            new AcpMethod<>("terminal/wait_for_exit", WaitForTerminalExitRequest.class, WaitForTerminalExitResponse.class);
    public static final AcpMethod<KillTerminalRequest, KillTerminalResponse> TERMINAL_KILL =
            new AcpMethod<>("terminal/kill", KillTerminalRequest.class, KillTerminalResponse.class);
    public static final AcpMethod<ReleaseTerminalRequest, ReleaseTerminalResponse> TERMINAL_RELEASE =
            new AcpMethod<>("terminal/release", ReleaseTerminalRequest.class, ReleaseTerminalResponse.class);

    /**
     * ACP 2026: the agent asks the user for input, a form or a URL to visit. Params and result stay JSON:
     * the form's field schema is open-ended and answered field by field.
     */
    public static final AcpMethod<com.fasterxml.jackson.databind.JsonNode, com.fasterxml.jackson.databind.JsonNode>
            ELICITATION_CREATE = new AcpMethod<>("elicitation/create", com.fasterxml.jackson.databind.JsonNode.class,
            com.fasterxml.jackson.databind.JsonNode.class);
    /** ACP 2026: a URL elicitation finished on the agent's side. */
    public static final AcpNotificationMethod<com.fasterxml.jackson.databind.JsonNode> ELICITATION_COMPLETE =
            new AcpNotificationMethod<>("elicitation/complete", com.fasterxml.jackson.databind.JsonNode.class);

    private AcpMethods() {}
}
