"""The home page."""

from django.shortcuts import render

from directorates.selectors import year_list


def home(request):
    return render(request, "home.html", {"years": year_list()})
