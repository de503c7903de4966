/** The API server could not be reached or answered in a way we cannot use (thrown by the transport and its tunnels). */
export class ConnectionError extends Error {}
