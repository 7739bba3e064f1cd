package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

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
	ID       int64
	Name     string
	Access   *exercises.ModelAccess
	EditedBy string
	EditedAt time.Time
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
			v.Versions = append(v.Versions, versionModels{ID: ver.ID, Name: ver.Slug + " v" + strconv.Itoa(ver.Number),
				Access: ver.Spec.Models, EditedBy: ver.ModelsEditedBy, EditedAt: ver.ModelsEditedAt})
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

// saveVersionModels stores an admin's prices, caps, provider, budget and
// hidden-data rule for a version; runs graded afterwards use them.
func (s *Server) saveVersionModels(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ver, err := s.deps.Versions.FindVersion(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if ver.Spec.Models == nil {
		return grader.Errorf(grader.CodeNotFound, "%s v%d gives no phase model access", ver.Slug, ver.Number)
	}
	a, msg := modelAccessForm(c, *ver.Spec.Models)
	if msg != "" {
		return s.showModels(c, http.StatusBadRequest, msg)
	}
	if err := s.deps.Staff.SetModelAccess(c.Request.Context(), id, a, p.actor(), s.now()); err != nil {
		if grader.ErrorCode(err) == grader.CodeInvalid {
			return s.showModels(c, http.StatusBadRequest, grader.ErrorMessage(err))
		}
		return err
	}
	detail := map[string]any{"provider": a.Provider, "budget_micro_usd": a.BudgetMicroUSD, "external_on_hidden": a.ExternalOnHidden}
	for _, m := range a.Models {
		detail[m.Name] = fmt.Sprintf("in %d, out %d micro-USD per 1M tokens, cap %d", m.InputPrice, m.OutputPrice, m.MaxOutput)
	}
	if err := s.record(c, p.actor(), "version.models", fmt.Sprintf("exercise_version:%d", id), detail); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Model access of %s v%d saved; runs graded from now on use it.", ver.Slug, ver.Number))
	c.Redirect(http.StatusSeeOther, "/admin/models")
	return nil
}

// modelAccessForm reads the form into a copy of the version's access, or
// says what is wrong. Prices are dollars per million tokens.
func modelAccessForm(c *gin.Context, a exercises.ModelAccess) (exercises.ModelAccess, string) {
	a.Provider = c.PostForm("provider")
	a.ExternalOnHidden = c.PostForm("external_on_hidden") == "on"
	budget, ok := dollars(c.PostForm("budget_usd"))
	if !ok {
		return a, "The budget must be an amount in dollars, e.g. 0.25."
	}
	a.BudgetMicroUSD = budget
	a.Models = append([]exercises.Model(nil), a.Models...)
	for i := range a.Models {
		m := &a.Models[i]
		in, okIn := dollars(c.PostForm("input_" + m.Name))
		out, okOut := dollars(c.PostForm("output_" + m.Name))
		capTokens, err := strconv.Atoi(c.DefaultPostForm("max_output_"+m.Name, "0"))
		if !okIn || !okOut || err != nil || capTokens < 0 {
			return a, "Prices of " + m.Name + " must be dollars per million tokens and its cap a whole number of tokens."
		}
		m.InputPrice, m.OutputPrice, m.MaxOutput = in, out, capTokens
	}
	return a, ""
}

// dollars reads a non-negative amount of dollars as micro-USD.
func dollars(s string) (int64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "$")), 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || v > 1e9 {
		return 0, false
	}
	return int64(math.Round(v * 1e6)), true
}
