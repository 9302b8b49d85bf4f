package testserver

// Addr is "127.0.0.1:port".
func (h *PortHold) Addr() string { return h.addr }

// URL is "http://127.0.0.1:port".
func (h *PortHold) URL() string { return "http://" + h.addr }
