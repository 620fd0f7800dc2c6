from django.urls import path
app_name = 'poles'
urlpatterns = []
