package web

// candidatePageRoutes are the server-rendered pages a candidate reaches from
// their invite link.
func (s *Server) candidatePageRoutes() []route {
	return nil
}
