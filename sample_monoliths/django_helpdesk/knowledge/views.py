from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import F, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from .models import Article, ArticleFeedback, Category


class ArticleListView(ListView):
    template_name = "knowledge/article_list.html"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().select_related("category")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["categories"] = Category.objects.filter(parent__isnull=True, is_public=True)
        return ctx


class CategoryDetailView(DetailView):
    model = Category
    template_name = "knowledge/category_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["articles"] = self.object.articles.published()
        ctx["subcategories"] = self.object.children.filter(is_public=True)
        return ctx


class ArticleDetailView(DetailView):
    template_name = "knowledge/article_detail.html"

    def get_queryset(self):
        return Article.objects.published().select_related("category", "author__user")

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        article.record_view()
        return article


class ArticleCreateView(LoginRequiredMixin, PermissionRequiredMixin, CreateView):
    model = Article
    permission_required = "knowledge.add_article"
    fields = ["category", "title", "summary", "body", "status", "tags"]
    template_name = "knowledge/article_form.html"

    def form_valid(self, form):
        form.instance.author = getattr(self.request.user, "agent", None)
        return super().form_valid(form)


class ArticleUpdateView(LoginRequiredMixin, PermissionRequiredMixin, UpdateView):
    model = Article
    permission_required = "knowledge.change_article"
    fields = ["category", "title", "summary", "body", "status", "tags", "related"]
    template_name = "knowledge/article_form.html"


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()
    results = Article.objects.none()
    if len(query) >= 3:
        results = Article.objects.published().filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query)
        )[:50]
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse(
            {"results": [{"title": a.title, "url": a.get_absolute_url(), "summary": a.summary} for a in results]}
        )
    return render(request, "knowledge/search.html", {"query": query, "results": results})


@require_POST
def article_feedback(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    helpful = request.POST.get("helpful") == "yes"
    ArticleFeedback.objects.create(
        article=article,
        user=request.user if request.user.is_authenticated else None,
        helpful=helpful,
        comment=request.POST.get("comment", "")[:2000],
    )
    counter = "helpful_count" if helpful else "not_helpful_count"
    Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
    return JsonResponse({"ok": True})


def legacy_article_redirect(request):
    """Old PHP FAQ links: /kb/showarticle.php?id=123 -> new article URL."""
    legacy_id = request.GET.get("id", "")
    if not legacy_id.isdigit():
        return redirect("knowledge:index", permanent=True)
    article = get_object_or_404(Article, legacy_id=int(legacy_id))
    return redirect(article, permanent=True)
