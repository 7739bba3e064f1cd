package web

// staffPageRoutes are the server-rendered pages for interviewers and admins.
func (s *Server) staffPageRoutes() []route {
	return nil
}
