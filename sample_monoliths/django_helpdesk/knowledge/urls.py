from django.urls import path, re_path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="index"),
    path("search/", views.search, name="search"),
    path("category/<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path("articles/new/", views.ArticleCreateView.as_view(), name="article-create"),
    re_path(r"^articles/(?P<slug>[-\w]+)/$", views.ArticleDetailView.as_view(), name="article"),
    path("articles/<slug:slug>/edit/", views.ArticleUpdateView.as_view(), name="article-edit"),
    path("articles/<slug:slug>/feedback/", views.article_feedback, name="article-feedback"),
    # Links from the old PHP FAQ are still in customers' bookmarks and e-mails.
    re_path(r"^showarticle\.php$", views.legacy_article_redirect, name="legacy-article"),
]
