package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"takehome/exercises"
	"takehome/grader"
)

// modelsView is the data of the model access page: the providers admins
// configured (never their keys) and what each exercise version gives its
// phases.
type modelsView struct {
	Providers []grader.LLMProvider
	Versions  []versionModels
	Error     string
}

// PageTitle names the page.
func (modelsView) PageTitle() string { return "Models" }

// versionModels is one version's model access.
type versionModels struct {
	Name   string
	Access *exercises.ModelAccess
}

func (s *Server) modelsPage(c *gin.Context, _ principal) error {
	return s.showModels(c, http.StatusOK, "")
}

func (s *Server) showModels(c *gin.Context, status int, msg string) error {
	ps, err := s.deps.Staff.ListLLMProviders(c.Request.Context())
	if err != nil {
		return err
	}
	versions, err := s.deps.Staff.ListVersions(c.Request.Context())
	if err != nil {
		return err
	}
	v := modelsView{Providers: ps, Error: msg}
	for _, ver := range versions {
		if ver.Spec.Models != nil && ver.Status != "archived" {
			v.Versions = append(v.Versions, versionModels{Name: ver.Slug + " v" + strconv.Itoa(ver.Number), Access: ver.Spec.Models})
		}
	}
	s.page(c, status, "admin_models", v)
	return nil
}

// saveProvider creates or updates a provider; an empty key keeps the
// stored one. The key is never echoed, logged or audited.
func (s *Server) saveProvider(c *gin.Context, p principal) error {
	prov := grader.LLMProvider{Name: c.PostForm("name"), BaseURL: c.PostForm("base_url"), Key: c.PostForm("api_key"),
		MaxTokensField: c.PostForm("max_tokens_field"), UpdatedAt: s.now(), UpdatedBy: p.actor()}
	if err := s.deps.Staff.SaveLLMProvider(c.Request.Context(), prov); err != nil {
		if grader.ErrorCode(err) == grader.CodeInvalid {
			return s.showModels(c, http.StatusBadRequest, grader.ErrorMessage(err))
		}
		return err
	}
	detail := map[string]any{"base_url": prov.BaseURL, "max_tokens_field": prov.MaxTokensField, "key_changed": prov.Key != ""}
	if err := s.record(c, p.actor(), "provider.save", "provider:"+prov.Name, detail); err != nil {
		return err
	}
	s.flash(c, "Provider "+prov.Name+" saved.")
	c.Redirect(http.StatusSeeOther, "/admin/models")
	return nil
}

func (s *Server) deleteProvider(c *gin.Context, p principal) error {
	name := c.Param("name")
	if err := s.deps.Staff.DeleteLLMProvider(c.Request.Context(), name); err != nil {
		return err
	}
	if err := s.record(c, p.actor(), "provider.delete", "provider:"+name, nil); err != nil {
		return err
	}
	s.flash(c, "Provider "+name+" deleted.")
	c.Redirect(http.StatusSeeOther, "/admin/models")
	return nil
}
